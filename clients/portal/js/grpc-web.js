// A small gRPC-Web client over fetch (grpc/grpc doc/PROTOCOL-WEB.md): unary and server-streaming
// calls, binary ("application/grpc-web+proto") or text ("application/grpc-web-text+proto", base64).
// Messages are passed as already-encoded protobuf bytes; see messages.js.

export const StatusName = Object.freeze([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
]);

const DATA_FRAME = 0x00;
const TRAILER_FLAG = 0x80;
const asciiDecoder = new TextDecoder('utf-8');

/** A call that ended with a status other than OK. */
export class GrpcWebError extends Error {
  constructor(code, message, metadata = {}) {
    super(`${StatusName[code] ?? code}: ${message}`);
    this.name = 'GrpcWebError';
    this.code = code;
    this.details = message;
    this.metadata = metadata;
  }
}

export class GrpcWebClient {
  /**
   * @param {string} baseUrl where the API is ('' = this page's origin)
   * @param {{format?: 'binary' | 'text', metadata?: Record<string, string>}} options
   */
  constructor(baseUrl = '', { format = 'binary', metadata = {} } = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.format = format;
    this.metadata = metadata;
  }

  /** One request, one response message. Resolves to { message, headers, trailers }. */
  async unary(path, request, options = {}) {
    const messages = [];
    const result = await this.serverStreaming(path, request, (m) => messages.push(m), options);
    if (messages.length !== 1) {
      throw new GrpcWebError(13, `expected one response message, got ${messages.length}`, result.trailers);
    }
    return { message: messages[0], ...result };
  }

  /**
   * One request, then <onMessage>(bytes) for each response message as it arrives.
   * Resolves to { headers, trailers } when the server ends the call with OK; rejects with GrpcWebError otherwise.
   * @param {{timeoutMs?: number, signal?: AbortSignal, metadata?: Record<string, string>}} options
   */
  async serverStreaming(path, request, onMessage, { timeoutMs, signal, metadata = {} } = {}) {
    const text = this.format === 'text';
    const contentType = text ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto';
    const headers = { 'content-type': contentType, accept: contentType, 'x-grpc-web': '1', 'x-user-agent': 'grpc-dvc-portal/1.0', ...this.metadata, ...metadata };
    if (timeoutMs) headers['grpc-timeout'] = `${Math.ceil(timeoutMs)}m`;
    const framed = frame(request);

    let response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: text ? toBase64(framed) : framed, signal });
    } catch (e) {
      if (e.name === 'AbortError') throw new GrpcWebError(1, 'call cancelled');
      throw new GrpcWebError(14, `server unreachable: ${e.message}`);
    }

    const responseHeaders = Object.fromEntries(response.headers.entries());
    if (response.headers.has('grpc-status')) {
      // Trailers-only: the status came in the headers and the body is empty.
      return finish(responseHeaders, responseHeaders);
    }
    if (!response.ok) {
      throw new GrpcWebError(httpToStatus(response.status), `HTTP ${response.status}`, responseHeaders);
    }

    const frames = new FrameReader(text);
    const reader = response.body.getReader();
    let trailers = null;
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw new GrpcWebError(e.name === 'AbortError' ? 1 : 14, `stream broken: ${e.message}`);
      }
      if (chunk.done) break;
      for (const { flag, payload } of frames.push(chunk.value)) {
        if (trailers) throw new GrpcWebError(13, 'data after the trailer frame');
        if (flag & TRAILER_FLAG) trailers = parseTrailers(payload);
        else if (flag !== DATA_FRAME) throw new GrpcWebError(13, 'compressed messages are not supported here');
        else onMessage(payload);
      }
    }
    if (!frames.empty) throw new GrpcWebError(13, 'response ended inside a frame');
    if (!trailers) throw new GrpcWebError(13, 'response ended without a status');
    return finish(responseHeaders, trailers);
  }
}

function finish(headers, trailers) {
  const code = Number(trailers['grpc-status']);
  if (code !== 0) {
    throw new GrpcWebError(Number.isInteger(code) ? code : 2, percentDecode(trailers['grpc-message'] ?? ''), trailers);
  }
  return { headers, trailers };
}

function frame(message) {
  const out = new Uint8Array(5 + message.length);
  new DataView(out.buffer).setUint32(1, message.length);
  out.set(message, 5);
  return out;
}

/** Splits a response body into frames, decoding base64 first in text mode (chunks may carry their own padding). */
class FrameReader {
  #text;
  #pendingText = '';
  #buffer = new Uint8Array(0);

  constructor(text) {
    this.#text = text;
  }

  get empty() {
    return this.#buffer.length === 0 && this.#pendingText.length === 0;
  }

  *push(chunk) {
    const bytes = this.#text ? this.#decode(chunk) : chunk;
    const joined = new Uint8Array(this.#buffer.length + bytes.length);
    joined.set(this.#buffer);
    joined.set(bytes, this.#buffer.length);
    let offset = 0;
    while (joined.length - offset >= 5) {
      const length = new DataView(joined.buffer, offset + 1, 4).getUint32(0);
      if (joined.length - offset - 5 < length) break;
      yield { flag: joined[offset], payload: joined.slice(offset + 5, offset + 5 + length) };
      offset += 5 + length;
    }
    this.#buffer = joined.slice(offset);
  }

  #decode(chunk) {
    let text = this.#pendingText + asciiDecoder.decode(chunk).replace(/\s/g, '');
    const whole = text.length - (text.length % 4);
    this.#pendingText = text.slice(whole);
    text = text.slice(0, whole);
    const parts = [];
    while (text.length > 0) {
      const pad = text.indexOf('=');
      const end = pad < 0 ? text.length : (Math.floor(pad / 4) + 1) * 4;
      parts.push(fromBase64(text.slice(0, end)));
      text = text.slice(end);
    }
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** The trailer frame's payload: HTTP/1-style "name: value\r\n" lines. */
function parseTrailers(payload) {
  const trailers = {};
  for (const line of new TextDecoder().decode(payload).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    trailers[name] = name in trailers ? `${trailers[name]}, ${value}` : value;
  }
  return trailers;
}

function percentDecode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function toBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// The HTTP-to-gRPC status mapping of grpc/grpc doc/http-grpc-status-mapping.md.
function httpToStatus(http) {
  switch (http) {
    case 400: return 13;
    case 401: return 16;
    case 403: return 7;
    case 404: return 12;
    case 429: case 502: case 503: case 504: return 14;
    default: return 2;
  }
}
