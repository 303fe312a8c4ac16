import { Module } from '@nestjs/common';
import { NodeHistoryController } from './node-history.controller.js';
import { NodeRepository } from './node.repository.js';
import { NodeService } from './node.service.js';
import { NodesController } from './nodes.controller.js';

@Module({ controllers: [NodesController, NodeHistoryController], providers: [NodeRepository, NodeService], exports: [NodeRepository] })
export class NodesModule {}
