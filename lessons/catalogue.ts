/**
 * The workshop's lesson catalogue: plain data, imported by the lesson engine
 * (checker/lessons.ts adds steps, hints and checks to each entry) and by the
 * app's lesson pages and inspector links (visualizer/server/lesson-index.ts).
 * It imports nothing, so the app can read it without pulling in the engine.
 */

/** What a lesson teaches, as the protocol inspector links to it. */
export const LESSON_TOPICS = ['transports', 'security', 'muxing', 'identify', 'ping', 'gossipsub', 'relay', 'webrtc', 'dht', 'direct-messages', 'llmesh'] as const
export type LessonTopic = typeof LESSON_TOPICS[number]

export interface CatalogueEntry {
  /** `NN-name`: the folder in `lessons/` and `solutions/`, and the key in the progress file. */
  id: string
  title: string
  /** One line: what the learner builds (the lesson list, the lesson map). */
  summary: string
  /** The topics this lesson introduces; the inspector links each to the first lesson listing it. */
  topics: LessonTopic[]
  /** Files the learner edits, relative to the lesson folder. The first is the program the checker runs. */
  files: [string, ...string[]]
}

export const catalogue: CatalogueEntry[] = [
  {
    id: '01-identity-and-transports',
    title: 'Identity and transports',
    summary: 'a node with a persistent key, listening on TCP and WebSockets',
    topics: ['transports'],
    files: ['node.ts']
  },
  {
    id: '02-secure-channel-and-muxing',
    title: 'Secure channel and muxing',
    summary: 'Noise, Yamux, identify, ping and an echo protocol of your own',
    topics: ['security', 'muxing', 'identify', 'ping'],
    files: ['node.ts']
  },
  {
    id: '03-gossipsub-chat',
    title: 'GossipSub chat',
    summary: 'join `universal-connectivity`, chat from stdin, answer a nonce',
    topics: ['gossipsub'],
    files: ['node.ts']
  },
  {
    id: '04-finding-peers',
    title: 'Finding peers',
    summary: 'from one bootstrap address to the mesh: pubsub peer discovery, the Kad-DHT, mDNS',
    topics: ['dht'],
    files: ['node.ts']
  },
  {
    id: '05-circuit-relay',
    title: 'Circuit relay v2',
    summary: 'reachable without being dialable: a relay reservation, limited connections, a relay of your own',
    topics: ['relay'],
    files: ['node.ts']
  }
]

/** The lesson number is the `NN` of its id. */
export function lessonNumber (lesson: Pick<CatalogueEntry, 'id'>): number {
  return Number.parseInt(lesson.id.slice(0, 2), 10)
}
