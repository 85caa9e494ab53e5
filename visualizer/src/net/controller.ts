/**
 * What the UI may ask of the network layer. Composables talk to this interface,
 * never to libp2p; the demo harness provides a fake one.
 */
export interface MeshController {
  /** Dial the agent at this multiaddr (already checked by the welcome screen). */
  connect: (address: string) => Promise<void>
  /** Send a chat message now, or queue it visibly while the agent is away. */
  send: (text: string) => void
  /** Try a failed message again. */
  resend: (messageId: string) => void
  /** Skip the backoff wait and retry the agent at once. */
  reconnectNow: () => void
  /** Hang up and go back to the welcome screen. */
  leave: () => Promise<void>
}
