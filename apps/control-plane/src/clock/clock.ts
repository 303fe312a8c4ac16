import { Global, Module, type DynamicModule } from '@nestjs/common';

/** The time source for decisions. Inject CLOCK instead of calling Date.now(), so tests can move time. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.now()) {}

  now(): Date {
    return new Date(this.ms);
  }

  set(at: Date | number): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

@Global()
@Module({ providers: [{ provide: CLOCK, useClass: SystemClock }], exports: [CLOCK] })
export class ClockModule {
  /** The system clock, or the one given (tests pass a ManualClock to move time without sleeping). */
  static forRoot(clock?: Clock): DynamicModule {
    return {
      module: ClockModule,
      global: true,
      providers: [clock ? { provide: CLOCK, useValue: clock } : { provide: CLOCK, useClass: SystemClock }],
      exports: [CLOCK],
    };
  }
}
