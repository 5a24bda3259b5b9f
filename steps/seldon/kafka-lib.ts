/**
 * The parts of @platformatic/kafka the seldon step uses: a broker connection, the versioned API functions, and the
 * record batch reader with its CRC-32C. Imported by file, past the package's single entry point, because that entry
 * also loads the library's Producer, Consumer and Admin clients, whose option schemas Ajv compiles when the module
 * loads (about a second of CPU, most of the first inspect's time); these modules do none of that.
 */
export { Connection } from '../../node_modules/@platformatic/kafka/dist/network/connection.js';
export { createAPI } from '../../node_modules/@platformatic/kafka/dist/apis/definitions.js';
export * from '../../node_modules/@platformatic/kafka/dist/apis/metadata/index.js';
export * from '../../node_modules/@platformatic/kafka/dist/apis/consumer/index.js';
export { Reader } from '../../node_modules/@platformatic/kafka/dist/protocol/reader.js';
export { readRecordsBatch, type RecordsBatch } from '../../node_modules/@platformatic/kafka/dist/protocol/records.js';
export { crc32c } from '../../node_modules/@platformatic/kafka/dist/protocol/crc32c.js';
