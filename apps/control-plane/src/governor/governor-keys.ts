/**
 * Redis key layout of the governor. Every key of a line carries the hash tag {line:<id>},
 * so one script's keys share a cluster slot.
 *
 *   <prefix>:{line:<id>}:gov:day:<YYYY-MM-DD>      hash sent/new/inbound of one governor day
 *   <prefix>:{line:<id>}:gov:new-sends             zset of new-contact sends in the last hour
 *   <prefix>:{line:<id>}:gov:hours                 hash o:<hour>/i:<hour> buckets (ratio window)
 *   <prefix>:{line:<id>}:gov:firsts                zset contact → first-contact send time (7 d)
 *   <prefix>:{line:<id>}:gov:responded             zset of those first contacts who replied
 *   <prefix>:{line:<id>}:gov:pace                  hash last send time and its jitter
 *   <prefix>:{line:<id>}:gov:pair:<contact>:sends  zset of sends to one contact (loop guard)
 *   <prefix>:{line:<id>}:gov:pair:<contact>:unans  sends to one contact since their last reply
 *   <prefix>:{line:<id>}:gov:res:<reservation>     what one allowed send consumed (for release)
 */
export class GovernorKeys {
  private readonly base: string;

  constructor(prefix: string, lineId: string) {
    this.base = `${prefix}:{line:${lineId}}:gov`;
  }

  day(day: string): string {
    return `${this.base}:day:${day}`;
  }
  get newSends(): string {
    return `${this.base}:new-sends`;
  }
  get hours(): string {
    return `${this.base}:hours`;
  }
  get firsts(): string {
    return `${this.base}:firsts`;
  }
  get responded(): string {
    return `${this.base}:responded`;
  }
  get pace(): string {
    return `${this.base}:pace`;
  }
  pairSends(contact: string): string {
    return `${this.base}:pair:${contact}:sends`;
  }
  pairUnanswered(contact: string): string {
    return `${this.base}:pair:${contact}:unans`;
  }
  reservation(id: string): string {
    return `${this.base}:res:${id}`;
  }
}
