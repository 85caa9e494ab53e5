/**
 * What the UI may ask of the network layer. Composables talk to this interface,
 * never to libp2p; the demo harness provides a fake one.
 */
export interface MeshController {
  /** Dial the agent at this multiaddr (already checked by the welcome screen); `resume` after a reload. */
  connect: (address: string, options?: { resume?: boolean }) => Promise<void>
  /** Send a chat message now, or queue it visibly while the agent is away; false when refused (empty, too long). */
  send: (text: string) => boolean
  /** Try a message whose publish failed again. */
  resend: (messageId: string) => void
  /** Skip the backoff wait and retry the agent at once. */
  reconnectNow: () => void
  /** Say goodbye, stop the node and go back to the welcome screen. */
  leave: () => Promise<void>
}
