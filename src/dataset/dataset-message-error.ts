/**
 * A message the dataset recorder refuses, with a code and parameters so an adapter can show it in
 * the user's language (the Node-RED node uses the keys `error.<code>` of its locale catalog); the
 * message is the English text of that catalog.
 */
export interface DatasetMessageProblems {
  /** `clear` without `msg.confirm === true`. */
  confirm: { name: string; count: number };
  /** An unknown `msg.command`. */
  command: { command: string };
  /** A payload that is neither a window nor a feature vector, e.g. problem = 'msg.payload[3][1] is "x"'. */
  payloadAt: { problem: string };
  /** An import command without CSV text in `msg.payload`; type describes what was there. */
  importPayload: { type: string };
}

export type DatasetMessageProblem = keyof DatasetMessageProblems;

const ENGLISH: { [C in DatasetMessageProblem]: (p: DatasetMessageProblems[C]) => string } = {
  confirm: (p) => `dataset "${p.name}": clear deletes all ${p.count} records: send msg.command "clear" with msg.confirm = true`,
  command: (p) => `dataset: unknown msg.command "${p.command}" (use start, stop, delete-last, clear, export, import or counts)`,
  payloadAt: (p) => `dataset: ${p.problem}; a window is samples × axes of finite numbers (number[][]), a feature vector is number[]`,
  importPayload: (p) =>
    `dataset: the import command needs the CSV text in msg.payload (e.g. from a file-in node), or several files as [{filename, payload}, ...], got ${p.type}`,
};

export class DatasetMessageError<C extends DatasetMessageProblem = DatasetMessageProblem> extends Error {
  constructor(
    readonly code: C,
    readonly params: DatasetMessageProblems[C],
  ) {
    super(ENGLISH[code](params));
    this.name = 'DatasetMessageError';
  }
}
