import { anonymousRateLimit } from './anonymous-rate-limit';
import { asyncFailoverDataLoss } from './async-failover-data-loss';
import { availabilityBelowSlo } from './availability-below-slo';
import { coldStandby } from './cold-standby';
import { connectionExhaustion } from './connection-exhaustion';
import { dependencyCycle } from './dependency-cycle';
import { disruptiveDeploy } from './disruptive-deploy';
import { ipHashBehindProxy } from './ip-hash-behind-proxy';
import { missingHealthCheck } from './missing-health-check';
import { noHeadroom } from './no-headroom';
import { petInCattlePool } from './pet-in-cattle-pool';
import { plaintextIngress } from './plaintext-ingress';
import { quorumZoneLoss } from './quorum-zone-loss';
import { retryWithoutBackoff } from './retry-without-backoff';
import { sharedDatabase } from './shared-database';
import { singlePointOfFailure } from './single-point-of-failure';
import { statefulRoundRobin } from './stateful-round-robin';
import { stickySessions } from './sticky-sessions';
import type { Rule } from './types';
import { unknownReference } from './unknown-reference';
import { unreplicatedShard } from './unreplicated-shard';

/** Every rule, sorted by id, one a line (so adding a rule is a one-line change). One file per rule; the file name is the rule id. */
// prettier-ignore
export const rules: readonly Rule[] = [
  anonymousRateLimit,
  asyncFailoverDataLoss,
  availabilityBelowSlo,
  coldStandby,
  connectionExhaustion,
  dependencyCycle,
  disruptiveDeploy,
  ipHashBehindProxy,
  missingHealthCheck,
  noHeadroom,
  petInCattlePool,
  plaintextIngress,
  quorumZoneLoss,
  retryWithoutBackoff,
  sharedDatabase,
  singlePointOfFailure,
  statefulRoundRobin,
  stickySessions,
  unknownReference,
  unreplicatedShard,
];

export const rulesById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
