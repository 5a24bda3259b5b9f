/**
 * Raw tensor buffers turned into typed `contents`, as the seldon CLI does before it prints a gRPC answer or a
 * message of `pipeline inspect`. The CLI reads each buffer into a Go slice sized by the tensor's shape, with the
 * element type of the `contents` field it fills: the 8- and 16-bit integer types and FP16 are read 4 bytes per
 * element (the slice is `[]int32`, `[]uint32` or `[]float32`), so this reads them the same way to print what the
 * CLI prints. A buffer shorter than the shape needs is the CLI's error (`EOF` when empty, else `unexpected EOF`).
 */

type Decoded = Record<string, unknown>;

/** A buffer the CLI cannot read into its tensor: the CLI stops with this as its `Error:` line. */
export class RawContentsError extends Error {}

interface Reader {
  field: string;
  size: number;
  read: (b: Buffer, at: number) => unknown;
}

const INT32: Reader = { field: 'int_contents', size: 4, read: (b, at) => b.readInt32LE(at) };
const UINT32: Reader = { field: 'uint_contents', size: 4, read: (b, at) => b.readUInt32LE(at) };
const FP32: Reader = { field: 'fp32_contents', size: 4, read: (b, at) => b.readFloatLE(at) };

const READERS: Record<string, Reader> = {
  BOOL: { field: 'bool_contents', size: 1, read: (b, at) => b.readUInt8(at) !== 0 },
  UINT8: UINT32,
  UINT16: UINT32,
  UINT32,
  UINT64: { field: 'uint64_contents', size: 8, read: (b, at) => b.readBigUInt64LE(at).toString() },
  INT8: INT32,
  INT16: INT32,
  INT32,
  INT64: { field: 'int64_contents', size: 8, read: (b, at) => b.readBigInt64LE(at).toString() },
  FP16: FP32,
  FP32,
  FP64: { field: 'fp64_contents', size: 8, read: (b, at) => b.readDoubleLE(at) },
};

const CONTENT_FIELDS = ['bool_contents', 'int_contents', 'int64_contents', 'uint_contents', 'uint64_contents', 'fp32_contents', 'fp64_contents', 'bytes_contents'];

/** The number of elements the shape holds (1 for a scalar's empty shape), as the CLI sizes its slice. */
function elements(shape: unknown): number {
  let n = 1;
  for (const dim of (shape ?? []) as unknown[]) n *= Number(String(dim));
  return n;
}

/** One buffer read as the typed list of a tensor of `datatype` and `shape`; an unknown datatype leaves it empty. */
function contentsOf(tensor: Decoded, bytes: Buffer, bytesAs: (raw: Buffer) => Buffer[]): Decoded {
  const datatype = String(tensor.datatype);
  if (datatype === 'BYTES') return { bytes_contents: bytesAs(bytes) };
  const reader = READERS[datatype];
  if (!reader) return {};
  const count = elements(tensor.shape);
  if (count > 0 && bytes.length < count * reader.size) throw new RawContentsError(bytes.length === 0 ? 'EOF' : 'unexpected EOF');
  const values: unknown[] = [];
  for (let i = 0; i < count; i++) values.push(reader.read(bytes, i * reader.size));
  return { [reader.field]: values };
}

/** A BYTES output's buffer split at its 4-byte little-endian length prefixes, as Triton's clients write them. */
function lengthPrefixed(raw: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < raw.length; ) {
    if (at + 4 > raw.length) throw new RawContentsError(`runtime error: slice bounds out of range [:${at + 4}] with capacity ${raw.length}`);
    const length = raw.readUInt32LE(at);
    at += 4;
    if (at + length > raw.length) throw new RawContentsError(`runtime error: slice bounds out of range [:${at + length}] with capacity ${raw.length}`);
    out.push(raw.subarray(at, at + length));
    at += length;
  }
  return out;
}

/** True when a tensor carries no typed list (Go's nil slices: absent or empty). */
function hasNoContents(tensor: Decoded): boolean {
  const contents = tensor.contents as Decoded | null | undefined;
  if (!contents) return true;
  return CONTENT_FIELDS.every((f) => ((contents[f] ?? []) as unknown[]).length === 0);
}

/**
 * A gRPC answer as the CLI prints it: each raw buffer, in order, fills the next output that has no typed contents
 * (an output that arrived typed is skipped), and `raw_output_contents` is then dropped, so only typed contents
 * print. More buffers than such outputs is the CLI's error.
 */
export function withRawContents(response: Decoded): Decoded {
  const raw = (response.raw_output_contents ?? []) as Uint8Array[];
  const outputs = [...((response.outputs ?? []) as Decoded[])];
  let next = 0;
  for (const buffer of raw) {
    while (next < outputs.length && !hasNoContents(outputs[next]!)) next++;
    if (next === outputs.length) throw new RawContentsError(`Ran out of output contents to fill raw contents of length ${raw.length}`);
    outputs[next] = { ...outputs[next], contents: contentsOf(outputs[next]!, Buffer.from(buffer), lengthPrefixed) };
  }
  return { ...response, outputs, raw_output_contents: [] };
}

/**
 * A request's inputs typed from `raw_input_contents` when there is one buffer per input, each by index (a BYTES
 * buffer becomes one element); the raw buffers stay, as `pipeline inspect` prints a request with them.
 */
export function withRawInputContents(request: Decoded): Decoded {
  const raw = (request.raw_input_contents ?? []) as Uint8Array[];
  const inputs = (request.inputs ?? []) as Decoded[];
  if (raw.length !== inputs.length) return request;
  return { ...request, inputs: inputs.map((input, i) => ({ ...input, contents: contentsOf(input, Buffer.from(raw[i]!), (b) => [b]) })) };
}
