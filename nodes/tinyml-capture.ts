/**
 * tinyml-capture: reads a board's serial lines through the engine's CaptureStream and emits
 * samples (CaptureMsg), one per message or in batches that never span two segments.
 */
import { CaptureStream, TimestampMode } from '../src/serial/capture-stream';
import { PortStatus } from '../src/serial/serial-pool';
import { CaptureMsg, Sample } from '../src/stream/sample';
import type { BoardNode } from './board-api';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from './red-types';
import { translator } from './translate';

interface CaptureDef extends NodeDef {
  board?: string;
  batch?: string | number;
  timestamp?: string;
  axes?: string;
}

/** A partial batch is sent after this long without completing (a stream that stopped). */
const BATCH_MAX_AGE_MS = 1000;
/** Status refresh period: status updates travel to every open editor, so not per sample. */
const STATUS_PERIOD_MS = 500;

const TIMESTAMP_MODES: readonly TimestampMode[] = ['auto', 'none', 'ms', 'us'];

function isTimestampMode(v: unknown): v is TimestampMode {
  return typeof v === 'string' && (TIMESTAMP_MODES as readonly string[]).includes(v);
}

interface Batch {
  values: number[][];
  times: number[];
  seq: number;
  segment: number;
  gap?: boolean;
  reset?: boolean;
  startedAt: number;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-capture');

  function TinymlCapture(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const def = nodeDef as CaptureDef;
    const node = this as Node;
    const board = def.board ? (RED.nodes.getNode(def.board) as BoardNode | null) : null;
    if (!board || typeof board.subscribe !== 'function') {
      node.status({ fill: 'red', shape: 'ring', text: t('status.noBoard') });
      node.error(t('error.noBoard'));
      return;
    }
    const batchSize = Math.max(1, Math.floor(Number(def.batch) || 1));
    const axesOverride = (def.axes ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const stream = new CaptureStream({
      timestamp: isTimestampMode(def.timestamp) ? def.timestamp : 'auto',
      axes: axesOverride.length > 0 ? axesOverride : undefined,
    });
    stream.onWarning = (_kind, message) => node.warn(`${board.boardName}: ${message}`);
    const topic = board.boardName;
    let port: PortStatus = board.portStatus;
    let batch: Batch | null = null;
    let lastStatus = '';

    const send = (msg: CaptureMsg): void => node.send(msg as unknown as NodeMessage);
    // The stream prefers the device's announced names; the user's names win here when they fit.
    let warnedAxes = false;
    const axesOf = (announced: string[]): string[] => {
      if (axesOverride.length === 0 || announced === axesOverride) return announced;
      if (axesOverride.length === announced.length) return axesOverride;
      if (!warnedAxes) {
        warnedAxes = true;
        node.warn(`${board.boardName}: ${axesOverride.length} axis names given (${axesOverride.join(',')}) but the device sends ${announced.length} values: using ${announced.join(',')}`);
      }
      return announced;
    };

    const flush = (): void => {
      const b = batch;
      if (!b) return;
      batch = null;
      const info = stream.info;
      const msg: CaptureMsg = { payload: b.values, topic, axes: axesOf(info.axes), rate: stream.sampleRate, time: b.times, seq: b.seq, segment: b.segment };
      if (b.gap) msg.gap = true;
      if (b.reset) msg.reset = true;
      send(msg);
    };

    const emit = (s: Sample): void => {
      if (batchSize === 1) {
        const info = stream.info;
        const msg: CaptureMsg = { payload: s.values, topic, axes: axesOf(info.axes), rate: stream.sampleRate, time: s.time, seq: s.seq, segment: s.segment };
        if (s.gap) msg.gap = true;
        if (s.reset) msg.reset = true;
        send(msg);
        return;
      }
      if (batch && batch.segment !== s.segment) flush();
      if (!batch) {
        batch = { values: [], times: [], seq: s.seq, segment: s.segment, startedAt: Date.now() };
        if (s.gap) batch.gap = true;
        if (s.reset) batch.reset = true;
      }
      batch.values.push(s.values);
      batch.times.push(s.time);
      if (batch.values.length >= batchSize) flush();
    };

    const statusFor = (): NodeStatus => {
      switch (port.state) {
        case 'connected': {
          const info = stream.info;
          const c = stream.counters.dropped;
          const dropped = c.malformed + c.binary + c.tooLong + c.arity;
          let text = info.rate === null
            ? t('status.connected')
            : t('status.rate', { rate: info.rate >= 10 ? Math.round(info.rate) : Math.round(info.rate * 10) / 10, axes: info.axes.length });
          if (dropped > 0) text += t('status.dropped', { count: dropped });
          return { fill: dropped > 0 ? 'yellow' : 'green', shape: 'dot', text };
        }
        case 'connecting': return { fill: 'yellow', shape: 'ring', text: t('status.connecting') };
        case 'waiting': return { fill: 'yellow', shape: 'ring', text: t('status.waiting') };
        case 'lent': return { fill: 'blue', shape: 'ring', text: t('status.lent', { reason: port.message ?? '' }) };
        case 'closed': return { fill: 'grey', shape: 'ring', text: t('status.closed') };
        default: return { fill: 'red', shape: 'ring', text: t('status.error', { message: port.message ?? '' }) };
      }
    };
    const refresh = (): void => {
      const s = statusFor();
      const key = `${s.fill}|${s.shape}|${s.text}`;
      if (key === lastStatus) return;
      lastStatus = key;
      node.status(s);
    };

    // A board error reaches Catch nodes (node.error with a message), each distinct one once until
    // the port connects again; deferred because a board that failed at deploy reports during subscribe.
    const reported = new Set<string>();
    const reportError = (message: string): void => {
      if (reported.has(message)) return;
      reported.add(message);
      const text = `${board.boardName}: ${message}`;
      setImmediate(() => {
        if (!closed) node.error(text, { topic, payload: text });
      });
    };
    let closed = false;

    const unsubscribe = board.subscribe({
      onOpen: () => { flush(); stream.markReset(); },
      onLine: (line, hostTimeMs) => {
        // One line may release several samples (the lines held while the timestamp column is detected).
        for (let s = stream.push(line, hostTimeMs); s !== null; s = stream.next()) emit(s);
      },
      onState: (s) => {
        port = s;
        if (s.state === 'connected') reported.clear();
        else if (s.state === 'error') reportError(s.message ?? 'error');
        if (s.state !== 'connected') flush();
        refresh();
      },
      onOverlong: () => stream.noteDropped('tooLong'),
    });
    const timer = setInterval(() => {
      if (batch && Date.now() - batch.startedAt >= BATCH_MAX_AGE_MS) flush();
      refresh();
    }, STATUS_PERIOD_MS);
    timer.unref();

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      batch = null;
      done();
    });
  }

  RED.nodes.registerType('tinyml-capture', TinymlCapture);
};
