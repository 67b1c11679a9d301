export * from './account-check';
export * from './auth.guard';
export * from './auth.module';
export * from './denial-aggregate';
export * from './password';
export * from './policy';
export * from './principal';
export * from './token.service';
