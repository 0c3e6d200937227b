import { Inject, Injectable } from '@nestjs/common';
import { lookup as systemLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

import type { UrlDecision } from '@implant-trace/notifications-domain';
import { decideAddress, parseEndpointUrl } from '@implant-trace/notifications-domain';

import { NOTIFICATIONS_OPTIONS, type NotificationsOptions } from '../notifications.options';

/**
 * The URL policy applied to real names: at registration every address the host resolves to must
 * be allowed; at send time the connection only goes to an address that is allowed (see
 * {@link EndpointAddressChecker.guardedLookup}), so a name re-pointed after registration
 * still cannot reach an internal host.
 */
@Injectable()
export class EndpointAddressChecker {
  private readonly lookup: LookupFunction;

  constructor(@Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions) {
    this.lookup = options.lookup ?? (systemLookup as LookupFunction);
  }

  async checkUrl(url: string): Promise<UrlDecision> {
    const parsed = parseEndpointUrl(url, this.options.urlPolicy);
    if (!parsed.ok) return { allowed: false, reason: parsed.reason };
    if (parsed.endpoint.literal) return { allowed: true };
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolveAll(parsed.endpoint.host);
    } catch (error) {
      return { allowed: false, reason: `the host does not resolve (${String(error)})` };
    }
    for (const { address } of addresses) {
      const decision = this.decide(address);
      if (!decision.allowed) return { allowed: false, reason: `refused: ${decision.reason}` };
    }
    return { allowed: true };
  }

  decide(address: string): UrlDecision {
    return decideAddress(address, this.options.urlPolicy);
  }

  /** A `lookup` for sockets that fails rather than hand back an address the policy refuses. */
  guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.lookup(hostname, { ...options, all: true }, (error, resolved) => {
        if (error) return callback(error, '', 0);
        const all = (Array.isArray(resolved) ? resolved : []) as LookupAddress[];
        const refused = all.map((entry) => this.decide(entry.address)).find((d) => !d.allowed);
        if (refused !== undefined && !refused.allowed) {
          return callback(new EndpointRefusedError(refused.reason), '', 0);
        }
        if (options.all === true) return callback(null, all);
        const [first] = all;
        if (first === undefined) return callback(new EndpointRefusedError('no address'), '', 0);
        return callback(null, first.address, first.family);
      });
    };
  }

  private resolveAll(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      this.lookup(host, { all: true }, (error, addresses) => {
        if (error) reject(error);
        else resolve((Array.isArray(addresses) ? addresses : []) as LookupAddress[]);
      });
    });
  }
}

/** The URL policy refused the address a send would have reached. */
export class EndpointRefusedError extends Error {
  override readonly name = 'EndpointRefusedError';

  constructor(reason: string) {
    super(`refused by the endpoint URL policy: ${reason}`);
  }
}
