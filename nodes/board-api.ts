/**
 * The API of a tinyml-board config node, for the nodes that use a board (capture, deploy...):
 * `RED.nodes.getNode(config.board) as BoardNode | null`.
 */
import type { BoardId } from '../src/boards/profiles';
import type { PortLoan, PortStatus, PortSubscriber } from '../src/serial/serial-pool';
import type { Node } from './red-types';

/** What users of a board listen to (a PortSubscriber). */
export type BoardListener = PortSubscriber;

/** The API the board config node offers to capture, deploy and other nodes. */
export interface BoardNode extends Node {
  readonly boardName: string;
  readonly boardType: BoardId;
  /** Current connection state (connecting, connected, waiting, error, lent, closed). */
  readonly portStatus: PortStatus;
  /** The serial path (for replay: the virtual board's link), null until known. */
  readonly portPath: string | null;
  readonly baudRate: number;
  /** Adds a listener; it is told the current state at once. Returns the unsubscribe function. */
  subscribe(listener: BoardListener): () => void;
  write(data: Buffer | string): Promise<void>;
  /** Closes the port for another program (an uploader); `giveBack()` on the loan reopens it. */
  lend(reason: string): Promise<PortLoan>;
  /** Delivers a line as if it came from the port (benchmarks and diagnostics). */
  feedLine(line: string, hostTimeMs: number): void;
}

