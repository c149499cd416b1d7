// Just enough of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/)
// for the portal's few messages: varints, length-delimited fields, UTF-8 strings, skipping the rest.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export const WireType = Object.freeze({ VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 });

export class ProtoWriter {
  #bytes = [];

  /** Unsigned varint; negative int32/enum values take ten bytes, as protobuf sends them. */
  varint(value) {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
    return this;
  }

  tag(field, wireType) {
    return this.varint(field * 8 + wireType);
  }

  /** An int32, int64 or enum field; zero is the default and is not sent (proto3). */
  int(field, value) {
    return value ? this.tag(field, WireType.VARINT).varint(value) : this;
  }

  bytes(field, value) {
    if (!value || value.length === 0) return this;
    this.tag(field, WireType.LENGTH_DELIMITED).varint(value.length);
    for (const b of value) this.#bytes.push(b);
    return this;
  }

  string(field, value) {
    return value ? this.bytes(field, utf8Encoder.encode(value)) : this;
  }

  /** A nested message, written by <write> into its own writer; sent even when empty. */
  message(field, write) {
    const nested = new ProtoWriter();
    write(nested);
    const body = nested.finish();
    this.tag(field, WireType.LENGTH_DELIMITED).varint(body.length);
    for (const b of body) this.#bytes.push(b);
    return this;
  }

  finish() {
    return Uint8Array.from(this.#bytes);
  }
}

export class ProtoReader {
  #bytes;
  #pos = 0;

  constructor(bytes) {
    this.#bytes = bytes;
  }

  get done() {
    return this.#pos >= this.#bytes.length;
  }

  /** The next field's number and wire type. */
  next() {
    const key = this.varint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  /** An unsigned varint as a Number (exact up to 2^53, ample for sizes, counts, enums and VND amounts). */
  varint() {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.#bytes.length) throw new Error('protobuf: truncated varint');
      const b = this.#bytes[this.#pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error('protobuf: varint longer than ten bytes');
  }

  bytes() {
    const length = this.varint();
    if (this.#pos + length > this.#bytes.length) throw new Error('protobuf: truncated field');
    const value = this.#bytes.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return value;
  }

  string() {
    return utf8Decoder.decode(this.bytes());
  }

  double() {
    if (this.#pos + 8 > this.#bytes.length) throw new Error('protobuf: truncated double');
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#pos, 8);
    this.#pos += 8;
    return view.getFloat64(0, true);
  }

  /** Steps over a field this code does not read (unknown fields must be tolerated). */
  skip(wireType) {
    switch (wireType) {
      case WireType.VARINT: this.varint(); break;
      case WireType.FIXED64: this.#advance(8); break;
      case WireType.LENGTH_DELIMITED: this.bytes(); break;
      case WireType.FIXED32: this.#advance(4); break;
      default: throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }

  #advance(count) {
    if (this.#pos + count > this.#bytes.length) throw new Error('protobuf: truncated field');
    this.#pos += count;
  }
}

/** Reads every field of <bytes>, calling <onField>(reader, field, wireType); it must consume the value or return false to skip it. */
export function readFields(bytes, onField) {
  const reader = new ProtoReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.next();
    if (onField(reader, field, wireType) === false) reader.skip(wireType);
  }
}
