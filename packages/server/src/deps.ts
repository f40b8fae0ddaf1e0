// The dependencies every part receives explicitly (ARCHITECTURE "A request's way"): no singletons.

import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/schema.ts';
import type { KeyRing } from './oauth/keys/key-ring.ts';
import type { Store } from './storage/store.ts';

export interface Clock {
  /** Epoch seconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

/** A clock tests can move by hand instead of sleeping or patching Date. */
export class ManualClock implements Clock {
  constructor(private current = Math.floor(Date.now() / 1000)) {}
  now(): number {
    return this.current;
  }
  advance(seconds: number): void {
    this.current += seconds;
  }
}

export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface Deps {
  store: Store;
  keys: KeyRing;
  clock: Clock;
  config: Readonly<Config>;
  log: Logger;
  /** A stable id of this installation, used as the ID token's `idp` (OKTA-COMPAT §2.4). */
  instanceId: string;
}
