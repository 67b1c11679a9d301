export * from './auth.guard';
export * from './auth.module';
export * from './password';
export * from './policy';
export * from './principal';
export * from './token.service';
