/** Thrown by the command parsers when a command is valid shell but not something a typed step can run. */
export class Fallback extends Error {
  override readonly name = 'Fallback';
}
