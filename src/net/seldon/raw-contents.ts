/**
 * `raw_output_contents` turned into typed `contents`, as the seldon CLI does before it prints a gRPC answer: each raw
 * buffer is the little-endian elements of the tensor with the same index, read by its datatype.
 */
type Decoded = Record<string, unknown>;

const READERS: Record<string, { field: string; size: number; read: (b: Buffer, at: number) => unknown }> = {
  BOOL: { field: 'bool_contents', size: 1, read: (b, at) => b.readUInt8(at) !== 0 },
  UINT8: { field: 'uint_contents', size: 1, read: (b, at) => b.readUInt8(at) },
  UINT16: { field: 'uint_contents', size: 2, read: (b, at) => b.readUInt16LE(at) },
  UINT32: { field: 'uint_contents', size: 4, read: (b, at) => b.readUInt32LE(at) },
  UINT64: { field: 'uint64_contents', size: 8, read: (b, at) => b.readBigUInt64LE(at).toString() },
  INT8: { field: 'int_contents', size: 1, read: (b, at) => b.readInt8(at) },
  INT16: { field: 'int_contents', size: 2, read: (b, at) => b.readInt16LE(at) },
  INT32: { field: 'int_contents', size: 4, read: (b, at) => b.readInt32LE(at) },
  INT64: { field: 'int64_contents', size: 8, read: (b, at) => b.readBigInt64LE(at).toString() },
  FP32: { field: 'fp32_contents', size: 4, read: (b, at) => b.readFloatLE(at) },
  FP64: { field: 'fp64_contents', size: 8, read: (b, at) => b.readDoubleLE(at) },
};

/** Fills each output's `contents` from `raw_output_contents` when there is one buffer per output (as Go's CLI). */
export function withRawContents(response: Decoded): Decoded {
  const outputs = (response.outputs ?? []) as Decoded[];
  const raw = (response.raw_output_contents ?? []) as Uint8Array[];
  if (raw.length === 0 || raw.length !== outputs.length) return response;
  const typed = outputs.map((output, i) => {
    const bytes = Buffer.from(raw[i]!);
    const reader = READERS[String(output.datatype)];
    if (String(output.datatype) === 'BYTES') return { ...output, contents: { bytes_contents: [bytes] } };
    if (!reader) return output;
    const values: unknown[] = [];
    for (let at = 0; at + reader.size <= bytes.length; at += reader.size) values.push(reader.read(bytes, at));
    return { ...output, contents: { [reader.field]: values } };
  });
  return { ...response, outputs: typed };
}
