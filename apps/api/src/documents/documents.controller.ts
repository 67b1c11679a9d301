import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  MaxFileSizeValidator,
  FileTypeValidator,
  Param,
  ParseFilePipe,
  ParseUUIDPipe,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, Principal, RequestId, Roles } from '../../../../libs/auth';
import { AGENCY_STAFF_ROLES, PROPOSAL_READER_ROLES } from '../../../../libs/domain/identity/roles';
import { attachmentDisposition, DETECTABLE_DOCUMENT_TYPE, MAX_DOCUMENT_BYTES } from './document-types';
import { DocumentsService, UploadedDocument } from './documents.service';
import { ApiOperationDoc } from '../common/openapi';
import { DocumentDto } from './document-responses.dto';

const UUID = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/**
 * The file's type is checked by its content (magic bytes), its size by the parser (413 past the limit)
 * and again here; every refusal names the `file` field.
 */
const DOCUMENT_FILE = new ParseFilePipe({
  validators: [
    new MaxFileSizeValidator({ maxSize: MAX_DOCUMENT_BYTES + 1, errorMessage: `file must be at most ${MAX_DOCUMENT_BYTES} bytes` }),
    new FileTypeValidator({
      fileType: DETECTABLE_DOCUMENT_TYPE,
      overrideMimeType: true,
      errorMessage: 'file must be a PDF or an Office or OpenDocument document (checked by its content)',
    }),
  ],
  exceptionFactory: (message) =>
    new BadRequestException({
      message: 'Invalid document',
      details: [{ field: 'file', message: message === 'File is required' ? 'file is required' : message }],
    }),
});

@ApiTags('documents')
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('proposals/:id/documents')
  @Roles('APPLICANT', ...AGENCY_STAFF_ROLES)
  @HttpCode(201)
  @ApiOperationDoc({
    summary: 'Attach a file (PDF or office document, up to 20 MB) to a proposal; its SHA-256 goes to the audit trail',
    ok: DocumentDto,
    status: 201,
    errors: [400, 403, 404, 413, 415],
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  // Browsers send a file name's UTF-8 bytes as they are; multer would read them as latin1.
  @UseInterceptors(
    FileInterceptor('file', { defParamCharset: 'utf8', limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0, parts: 1 } }),
  )
  upload(
    @Param('id', UUID) id: string,
    @UploadedFile(DOCUMENT_FILE) file: UploadedDocument,
    @CurrentUser() user: Principal,
    @RequestId() requestId?: string,
  ) {
    return this.documents.upload(id, file, user, requestId);
  }

  @Get('documents/:id')
  @Roles('APPLICANT', ...PROPOSAL_READER_ROLES)
  @ApiOperationDoc({
    summary: 'Download a document, always as an attachment of its detected type',
    produces: ['application/octet-stream'],
    errors: [403, 404],
  })
  async download(
    @Param('id', UUID) id: string,
    @CurrentUser() user: Principal,
    @Res({ passthrough: true }) res: Response,
    @RequestId() requestId?: string,
  ): Promise<StreamableFile> {
    const { document, content } = await this.documents.download(id, user, requestId);
    // Never rendered by the browser: an attachment, of the detected type only, in a sandbox with nothing allowed.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(content, {
      type: document.mediaType,
      disposition: attachmentDisposition(document.name),
      length: document.size,
    });
  }
}
