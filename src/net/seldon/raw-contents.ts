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

/** Typed contents for each tensor from the raw buffer with the same index, when there is one buffer per tensor. */
function typed(tensors: Decoded[], raw: Uint8Array[]): Decoded[] | undefined {
  if (raw.length === 0 || raw.length !== tensors.length) return undefined;
  return tensors.map((tensor, i) => {
    const bytes = Buffer.from(raw[i]!);
    const reader = READERS[String(tensor.datatype)];
    if (String(tensor.datatype) === 'BYTES') return { ...tensor, contents: { bytes_contents: [bytes] } };
    if (!reader) return tensor;
    const values: unknown[] = [];
    for (let at = 0; at + reader.size <= bytes.length; at += reader.size) values.push(reader.read(bytes, at));
    return { ...tensor, contents: { [reader.field]: values } };
  });
}

/** Fills each output's `contents` from `raw_output_contents` when there is one buffer per output (as Go's CLI). */
export function withRawContents(response: Decoded): Decoded {
  const outputs = typed((response.outputs ?? []) as Decoded[], (response.raw_output_contents ?? []) as Uint8Array[]);
  return outputs ? { ...response, outputs } : response;
}

/** The same for a request's inputs from `raw_input_contents`, which stay (as `pipeline inspect` prints a request). */
export function withRawInputContents(request: Decoded): Decoded {
  const inputs = typed((request.inputs ?? []) as Decoded[], (request.raw_input_contents ?? []) as Uint8Array[]);
  return inputs ? { ...request, inputs } : request;
}
