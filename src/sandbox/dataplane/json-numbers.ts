/**
 * Numbers in JSON as each server writes them: Triton (rapidjson) writes a whole double as `11.0`, Seldon's Go
 * pipeline gateway writes a float32 in its shortest form (`0.1`, not 0.10000000149011612), MLServer as Python.
 */
import type { Tensor, TensorValue } from './tensor.js';

/** How a server writes one number of a tensor of `datatype`. */
export type NumberStyle = 'triton' | 'go' | 'plain';

/** The shortest decimal that reads back as the same float32. */
export function float32Shortest(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

function formatNumber(value: TensorValue, datatype: string, style: NumberStyle): string {
  if (typeof value !== 'number') return JSON.stringify(value);
  const float = datatype === 'FP32' || datatype === 'FP64' || datatype === 'FP16';
  if (!float || style === 'plain') return String(value);
  if (style === 'go') return datatype === 'FP64' ? String(value) : float32Shortest(value);
  // rapidjson's Grisu output with its `.0` for whole numbers.
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
}

/** A tensor's data as a JSON array in `style`. */
export function dataJson(tensor: Tensor, style: NumberStyle): string {
  return `[${tensor.data.map((v) => formatNumber(v, tensor.datatype, style)).join(',')}]`;
}
