import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Metadata {
  clientVersion: string
  timestamp: bigint
}

export namespace Metadata {
  let _codec: Codec<Metadata>

  export const codec = (): Codec<Metadata> => {
    if (_codec == null) {
      _codec = message<Metadata>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.clientVersion != null && obj.clientVersion !== '')) {
          w.uint32(10)
          w.string(obj.clientVersion)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(16)
          w.int64(obj.timestamp)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          clientVersion: '',
          timestamp: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.clientVersion = reader.string()
              break
            }
            case 2: {
              obj.timestamp = reader.int64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.clientVersion`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.int64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MetadataClientVersionFieldEvent {
    field: '$.clientVersion'
    value: string
  }

  export interface MetadataTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export function encode (obj: Partial<Metadata>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Metadata.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Metadata>): Metadata {
    return decodeMessage(buf, Metadata.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Metadata>): Generator<MetadataClientVersionFieldEvent | MetadataTimestampFieldEvent> {
    return streamMessage(buf, Metadata.codec(), opts)
  }
}

export enum Status {
  UNKNOWN = 'UNKNOWN',
  OK = 'OK',
  ERROR = 'ERROR'
}

enum __StatusValues {
  UNKNOWN = 0,
  OK = 200,
  ERROR = 500
}

export namespace Status {
  export const codec = (): Codec<Status> => {
    return enumeration<Status>(__StatusValues)
  }
}

export interface DirectMessageRequest {
  metadata?: Metadata
  content: string
  type: string
}

export namespace DirectMessageRequest {
  let _codec: Codec<DirectMessageRequest>

  export const codec = (): Codec<DirectMessageRequest> => {
    if (_codec == null) {
      _codec = message<DirectMessageRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.metadata != null) {
          w.uint32(10)
          Metadata.codec().encode(obj.metadata, w)
        }

        if ((obj.content != null && obj.content !== '')) {
          w.uint32(18)
          w.string(obj.content)
        }

        if ((obj.type != null && obj.type !== '')) {
          w.uint32(26)
          w.string(obj.type)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          content: '',
          type: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.metadata = Metadata.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.metadata
              })
              break
            }
            case 2: {
              obj.content = reader.string()
              break
            }
            case 3: {
              obj.type = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Metadata.codec().stream(reader, reader.uint32(), `${prefix}.metadata`, {
                limits: opts.limits?.metadata
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.content`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.type`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DirectMessageRequestMetadataClientVersionFieldEvent {
    field: '$.metadata.clientVersion'
    value: string
  }

  export interface DirectMessageRequestMetadataTimestampFieldEvent {
    field: '$.metadata.timestamp'
    value: bigint
  }

  export interface DirectMessageRequestContentFieldEvent {
    field: '$.content'
    value: string
  }

  export interface DirectMessageRequestTypeFieldEvent {
    field: '$.type'
    value: string
  }

  export function encode (obj: Partial<DirectMessageRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DirectMessageRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectMessageRequest>): DirectMessageRequest {
    return decodeMessage(buf, DirectMessageRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectMessageRequest>): Generator<DirectMessageRequestMetadataClientVersionFieldEvent | DirectMessageRequestMetadataTimestampFieldEvent | DirectMessageRequestContentFieldEvent | DirectMessageRequestTypeFieldEvent> {
    return streamMessage(buf, DirectMessageRequest.codec(), opts)
  }
}

export interface DirectMessageResponse {
  metadata?: Metadata
  status: Status
  statusText?: string
}

export namespace DirectMessageResponse {
  let _codec: Codec<DirectMessageResponse>

  export const codec = (): Codec<DirectMessageResponse> => {
    if (_codec == null) {
      _codec = message<DirectMessageResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.metadata != null) {
          w.uint32(10)
          Metadata.codec().encode(obj.metadata, w)
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(16)
          Status.codec().encode(obj.status, w)
        }

        if (obj.statusText != null) {
          w.uint32(26)
          w.string(obj.statusText)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: Status.UNKNOWN
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.metadata = Metadata.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.metadata
              })
              break
            }
            case 2: {
              obj.status = Status.codec().decode(reader)
              break
            }
            case 3: {
              obj.statusText = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Metadata.codec().stream(reader, reader.uint32(), `${prefix}.metadata`, {
                limits: opts.limits?.metadata
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: Status.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.statusText`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DirectMessageResponseMetadataClientVersionFieldEvent {
    field: '$.metadata.clientVersion'
    value: string
  }

  export interface DirectMessageResponseMetadataTimestampFieldEvent {
    field: '$.metadata.timestamp'
    value: bigint
  }

  export interface DirectMessageResponseStatusFieldEvent {
    field: '$.status'
    value: Status
  }

  export interface DirectMessageResponseStatusTextFieldEvent {
    field: '$.statusText'
    value: string
  }

  export function encode (obj: Partial<DirectMessageResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DirectMessageResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectMessageResponse>): DirectMessageResponse {
    return decodeMessage(buf, DirectMessageResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectMessageResponse>): Generator<DirectMessageResponseMetadataClientVersionFieldEvent | DirectMessageResponseMetadataTimestampFieldEvent | DirectMessageResponseStatusFieldEvent | DirectMessageResponseStatusTextFieldEvent> {
    return streamMessage(buf, DirectMessageResponse.codec(), opts)
  }
}
