/**
 * Validation of every value that reaches an external tool's argument list (board ids, FQBNs,
 * ports, folders). Tools are run with execFile (no shell), but an argument starting with '-'
 * would still be read as an option and a path with '..' could leave the build folder.
 */
import path from 'path';
import { BoardProfile, getBoard, isBoardId, listBoards } from '../boards/profiles';
import { validatePortPath } from '../serial/port-list';

export class DeployInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployInputError';
  }
}

const FQBN_PART = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
// arduino-cli FQBN: vendor:arch:board[:key=value[,key=value...]] (arduino-cli docs, "FQBN").
const FQBN = new RegExp(`^${FQBN_PART}:${FQBN_PART}:${FQBN_PART}(:${FQBN_PART}=${FQBN_PART}(,${FQBN_PART}=${FQBN_PART})*)?$`);

/** null when `fqbn` is a well-formed fully qualified board name, else why not. */
export function validateFqbn(fqbn: unknown): string | null {
  if (typeof fqbn !== 'string' || fqbn === '') return 'the board has no FQBN (e.g. arduino:avr:uno)';
  if (fqbn.length > 200) return `FQBN is too long (${fqbn.length} characters)`;
  if (!FQBN.test(fqbn)) return `'${fqbn}' is not an FQBN: expected vendor:architecture:board[:option=value,...] with letters, digits, '_', '.', '-'`;
  return null;
}

/** The board profile for a user-given id, or a DeployInputError naming the known ones. */
export function boardFor(id: unknown): BoardProfile {
  if (!isBoardId(id)) {
    const shown = typeof id === 'string' ? `'${id.slice(0, 60)}'` : typeof id;
    throw new DeployInputError(`unknown board ${shown}: known boards are ${listBoards().map((b) => b.id).join(', ')}`);
  }
  return getBoard(id);
}

export function checkPort(port: unknown): string {
  const err = validatePortPath(port);
  if (err) throw new DeployInputError(err);
  return port as string;
}

export function checkFqbn(fqbn: unknown): string {
  const err = validateFqbn(fqbn);
  if (err) throw new DeployInputError(err);
  return fqbn as string;
}

/** `child` resolved, and inside `root` (no '..' escape); throws otherwise. */
export function insideFolder(root: string, child: string): string {
  const r = path.resolve(root);
  const c = path.resolve(root, child);
  if (c !== r && !c.startsWith(r + path.sep)) throw new DeployInputError(`'${child}' is outside the folder '${r}'`);
  return c;
}
