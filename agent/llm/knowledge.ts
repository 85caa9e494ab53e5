/**
 * What the offline Alien X persona can explain without a model: the libp2p
 * concepts the workshop teaches (lesson 1 identity & transports, lesson 2
 * noise/yamux/identify/ping, lesson 3 gossipsub chat). A table, so adding a topic
 * is adding a row.
 */

export interface Concept {
  /** Short name, listed in the persona's help reply. */
  topic: string
  /** Any of these in the question picks this concept. */
  keywords: RegExp
  /**
   * Words too common to count when the question is about who is connected
   * ("who is in the mesh?" is not a GossipSub question).
   */
  weakKeywords?: RegExp
  /** Too general to add to a more specific answer: used only when nothing else matched. */
  onlyAlone?: boolean
  text: string
}

export const CONCEPTS: readonly Concept[] = [
  {
    topic: 'peer id',
    keywords: /\bpeer ?ids?\b|\bidentit(y|ies)\b|\b(public|private) keys?\b|\bed25519\b|\b12d3koo/,
    text: 'A peer ID is the hash of a node\'s public key (Ed25519 by default), the string that starts with 12D3KooW. ' +
      'Because it is derived from the key, nobody can claim your peer ID without your private key, and every connection proves it during the Noise handshake. ' +
      'In lesson 1 you create that key once and keep it in a file, so your node keeps its identity across restarts.'
  },
  {
    topic: 'multiaddr',
    keywords: /\bmulti-?addr(ess)?(es|s)?\b/,
    weakKeywords: /\baddress(es)?\b/,
    text: 'A multiaddr is a self-describing address such as /ip4/127.0.0.1/tcp/9092/ws/p2p/12D3KooW…: each segment names a protocol and its value. ' +
      'Read left to right, it tells a dialer the network, the transport, and which peer ID to expect at the other end. ' +
      'Lesson 1 prints the multiaddrs your node listens on; you dial a peer by handing one of them to dial().'
  },
  {
    topic: 'transports',
    keywords: /\btransports?\b|\btcp\b|\bweb-?sockets?\b|\bwss?\b/,
    text: 'A transport is how bytes travel between two peers: TCP between Node processes, WebSockets (/ws) so a browser can dial a server peer, WebRTC between browsers. ' +
      'One node can listen on several transports at once and a dialer uses whichever address it can reach. ' +
      'Lesson 1 sets up TCP and WebSockets; everything above (encryption, multiplexing, pubsub) works the same on any of them.'
  },
  {
    topic: 'webrtc',
    keywords: /\bweb-?rtc\b|webrtc-direct|\bcerthash\b|\bdatachannels?\b/,
    text: 'WebRTC-direct lets a browser dial a server peer over UDP without any certificate authority: the server\'s certificate hash is part of its multiaddr (/webrtc-direct/certhash/…). ' +
      'Plain WebRTC connects two browsers directly: they swap offer and answer through a relay, then hole-punch a direct path. ' +
      'Both bring their own encryption (DTLS) and data channels, and this mesh shows them as their own link colour.'
  },
  {
    topic: 'noise',
    keywords: /\bnoise\b|\bencrypt(ed|ion|s)?\b|\bhandshakes?\b|\bsecure (channel|connection)s?\b/,
    text: 'Noise is the handshake that encrypts and authenticates every libp2p connection (lesson 2). ' +
      'Right after the transport connects, both sides prove they hold the private key behind their peer ID and agree on fresh session keys. ' +
      'From then on nobody in between can read or alter the traffic, and you know exactly which peer you are talking to.'
  },
  {
    topic: 'yamux',
    keywords: /\byamux\b|\bmultiplex(ing|er|ed)?\b|\bmuxers?\b|\bstreams?\b/,
    text: 'Yamux is a stream multiplexer (lesson 2): it splits one encrypted connection into many independent streams, each with its own flow control. ' +
      'That is how ping, identify, GossipSub and direct messages share a single connection without one blocking another. ' +
      'Each protocol opens its own stream and names itself with multistream-select, e.g. /ipfs/ping/1.0.0.'
  },
  {
    topic: 'identify',
    keywords: /\bidentify\b|\bagent ?version\b|\/ipfs\/id\//,
    text: 'Identify (/ipfs/id/1.0.0, lesson 2) runs as soon as a connection opens: each side tells the other its public key, listen addresses, supported protocols and agent version. ' +
      'That is how a node learns what a new peer can do and how to reach it again later. ' +
      'LLMesh peers put their role in the agent version, e.g. "llmesh/0.1.0 agent (node)".'
  },
  {
    topic: 'ping',
    keywords: /\bping(s|ing)?\b|\blatency\b|\bround[- ]?trip\b|\brtt\b/,
    text: 'Ping (/ipfs/ping/1.0.0, lesson 2) sends 32 random bytes over a fresh stream and times how long the echo takes. ' +
      'It proves the whole stack (transport, Noise, Yamux) works end to end and measures the round-trip time you see on each link of the mesh.'
  },
  {
    topic: 'gossipsub',
    keywords: /\bgossip(sub)?\b|\bpub-?sub\b|\bpub\/sub\b|\bpublish(ing|es)?\b|\bsubscri(be|bers?|ptions?)\b|\btopics?\b/,
    weakKeywords: /\bmesh\b/,
    text: 'GossipSub (lesson 3) is libp2p\'s publish/subscribe: peers subscribe to a topic and each keeps a small mesh of about six full-message links for it, plus lazy gossip about message ids with others. ' +
      'Messages are signed by their author and forwarded hop by hop, so everyone on the topic gets them without any server in the middle. ' +
      'This chat is the topic "universal-connectivity", the same one the universal-connectivity apps use.'
  },
  {
    topic: 'relay',
    keywords: /\brelay(s|ed|ing)?\b|\bcircuit\b|\bp2p-circuit\b|\bnat\b|\bhole[- ]?punch(ing)?\b/,
    text: 'A circuit relay (circuit-relay-v2) lets two peers talk through a third one when they cannot reach each other directly, such as two browsers or a node behind NAT. ' +
      'Relayed addresses look like /p2p/RELAY_ID/p2p-circuit/p2p/TARGET_ID. ' +
      'Relayed connections are limited in time and bytes, so they are mostly used to set up a direct connection, such as WebRTC between browsers. ' +
      'In lesson 5 your node reserves a slot on a relay, chats over the limited connection, and becomes a relay itself.'
  },
  {
    topic: 'mdns',
    keywords: /\bmdns\b|\bmulticast\b|\bdiscover(y|ed|ing)?\b|\bbootstrap(ping)?\b|\bfind (each other|other peers|peers)\b/,
    text: 'mDNS finds peers on the same local network with multicast DNS queries, no server needed. ' +
      'It only reports peers; the node still has to dial them, which this agent does on every peer:discovery event. ' +
      'Further away, peers find each other through bootstrap addresses and pubsub peer discovery on the topic "universal-connectivity-browser-peer-discovery".'
  },
  {
    topic: 'dht',
    keywords: /\bdht\b|\bkademlia\b|\bkad\b|\bdistributed hash/,
    text: 'The Kademlia DHT is a key-value table spread across all participating peers: each node keeps the keys closest to its own ID, measured by XOR distance. ' +
      'libp2p uses it to find a peer\'s addresses from its peer ID and to find who provides some content, in about log(n) hops, with no central directory.'
  },
  {
    topic: 'libp2p',
    keywords: /\blibp2p\b/,
    onlyAlone: true,
    text: 'libp2p is a modular networking stack for peer-to-peer apps: pick transports, an encryption (Noise), a stream multiplexer (Yamux) and protocols on top (identify, ping, GossipSub). ' +
      'The workshop builds one up step by step: lesson 1 identity and transports, lesson 2 Noise, Yamux, identify and ping, lesson 3 a GossipSub chat, the very mesh we are talking in.'
  }
]
