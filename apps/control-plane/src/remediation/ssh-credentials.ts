import { Inject, Injectable } from '@nestjs/common';
import { resolvePrivateKey } from '@bridgefleet/runbooks/private-key.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

/** Hands the SSH private key to a run; never caches, stores or logs it. */
@Injectable()
export class SshCredentials {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  privateKey(): Buffer {
    // SSH_PRIVATE_KEY_ENV names a variable holding the key. It is read here, at use,
    // on purpose: the key never enters the config object, which may be printed.
    return resolvePrivateKey({ path: this.config.SSH_PRIVATE_KEY_PATH, envName: this.config.SSH_PRIVATE_KEY_ENV }, process.env);
  }
}
