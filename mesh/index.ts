/**
 * The shared mesh module, safe for Node and browsers alike. Node-only pieces are
 * imported from their own files: `mesh/compat.ts`, `mesh/node-options.ts`,
 * `mesh/identity.ts`.
 */
export * from './protocol.ts'
export * from './extension.ts'
export * from './transport.ts'
export * from './address.ts'
export * from './names.ts'
export { chatMessageId, createMessageIdFn, decodeChatText, gossipOptions, meshGossipsub, meshScoreParams, installTopicValidators, meshTopicValidators, PEERS_PER_PUBLIC_IP } from './gossip.ts'
export { fetchHistory, messageKey, RecentChat, serveHistory, verifyRpcMessage, HISTORY_LIMIT } from './history.ts'
