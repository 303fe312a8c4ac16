import { Module } from '@nestjs/common';
import { ContactRepository } from './contact.repository.js';
import { ContactService } from './contact.service.js';
import { ContactsController } from './contacts.controller.js';

@Module({ controllers: [ContactsController], providers: [ContactRepository, ContactService] })
export class ContactsModule {}
