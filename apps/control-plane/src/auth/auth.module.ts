import { Global, Module } from '@nestjs/common';
import { ApiKeyRepository } from './api-key.repository.js';
import { ApiKeyService } from './api-key.service.js';
import { KeysController } from './keys.controller.js';

@Global()
@Module({ controllers: [KeysController], providers: [ApiKeyRepository, ApiKeyService], exports: [ApiKeyService] })
export class AuthModule {}
