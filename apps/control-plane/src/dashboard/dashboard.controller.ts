import { Controller, Get } from '@nestjs/common';
import { DashboardSession, FleetSummary } from '@bridgefleet/contracts/dashboard.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { DashboardRepository } from './dashboard.repository.js';

/** The two reads only the dashboard needs: who is signed in, and fleet totals. */
@Controller('v1/dashboard')
export class DashboardController {
  constructor(private readonly counts: DashboardRepository) {}

  @Get('session')
  @Endpoint({ scope: 'fleet:read', tag: 'dashboard', summary: 'The calling key: name and scopes', response: DashboardSession })
  session(@CurrentPrincipal() principal: Principal) {
    return { keyName: principal.keyName, scopes: [...principal.scopes] };
  }

  @Get('summary')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'dashboard',
    summary: 'Fleet totals: lines and nodes by state, waiting messages',
    response: FleetSummary,
  })
  async summary(): Promise<FleetSummary> {
    const [lines, nodes, messages, waitingByLine] = await Promise.all([
      this.counts.lineCounts(),
      this.counts.nodeCounts(),
      this.counts.messageCounts(),
      this.counts.waitingByLine(),
    ]);
    return { lines, nodes, messages, waitingByLine };
  }
}
