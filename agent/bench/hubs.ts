/** What the benchmark's hub process can be (hub-process.ts), importable without starting one. */
export type HubKind = 'agent' | 'plain' | 'plain-tuned' | 'past-limit'

/** The mesh degree of the `past-limit` hub: half the largest star, to show what happens past `HUB_MESH_DEGREE`. */
export const PAST_LIMIT_DEGREE = 50

/** A plain hub answers chat addressed to it ("@hub …"), the baseline for the agent's round trip. */
export const PLAIN_HUB_NAME = 'hub'
