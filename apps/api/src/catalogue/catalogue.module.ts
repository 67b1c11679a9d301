import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller';
import { CatalogueService } from './catalogue.service';

/** `GET /catalogue` (docs/spec.md sections 2.3a and 7). */
@Module({ controllers: [CatalogueController], providers: [CatalogueService] })
export class CatalogueModule {}
