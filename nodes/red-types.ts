/**
 * The slice of the Node-RED runtime API that this pack's adapters use, typed strictly.
 * (@types/node-red describes Node-RED 1.3; we type only what we call.)
 */
import type { IncomingMessage, ServerResponse } from 'http';

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export type SendFn = (msg: NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  [key: string]: unknown;
}

export interface Node {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, string>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send: SendFn;
  status(status: NodeStatus | Record<string, never>): void;
  log(msg: string): void;
  warn(msg: string): void;
  error(msg: string | Error, m?: NodeMessage): void;
}

export interface ExpressLikeRequest extends IncomingMessage {
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
  body?: unknown;
}
export interface ExpressLikeResponse extends ServerResponse {
  json(body: unknown): void;
  status(code: number): ExpressLikeResponse;
  send(body: unknown): void;
}
export type Handler = (req: ExpressLikeRequest, res: ExpressLikeResponse, next?: () => void) => void;

export interface NodeAPI {
  nodes: {
    createNode(node: Node, def: NodeDef): void;
    registerType(type: string, ctor: (this: Node, def: NodeDef) => void, opts?: { credentials?: Record<string, { type: string }> }): void;
    getNode(id: string): Node | null;
  };
  httpAdmin: {
    get(path: string, ...handlers: Handler[]): void;
    post(path: string, ...handlers: Handler[]): void;
  };
  auth: { needsPermission(permission: string): Handler };
  settings: { userDir?: string; [key: string]: unknown };
  log: { info(m: string): void; warn(m: string): void; error(m: string): void; debug?(m: string): void };
  _(key: string, subs?: Record<string, string | number>): string;
}
