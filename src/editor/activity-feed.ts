/**
 * In-memory activity feed: the train and deploy nodes publish here, the editor's TinyML sidebar
 * reads a snapshot through an admin endpoint. One feed per Node-RED process; bounded in size, so a
 * long training run or a chatty upload never grows memory without limit.
 *
 * Publishers (train node):   activity.trainingStarted({ run, model, epochs, dataset })
 *                             activity.trainingEpoch(run, { epoch, loss, accuracy, valLoss, valAccuracy })
 *                             activity.trainingFinished(run, { ok, message, version })
 * Publishers (deploy node):  activity.deployStarted({ run, model, board, port })
 *                             activity.deployStage(run, { name, state, detail })
 *                             activity.deployLog(run, line)
 *                             activity.deployFinished(run, { ok, message })
 * Calls naming a run that is not the current one are ignored (a stale run must not overwrite a newer one).
 */

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
}

export type RunState = 'running' | 'done' | 'failed';

export interface TrainingActivity {
  run: string;
  model: string;
  dataset?: string;
  epochs: number;
  state: RunState;
  started: number;
  finished?: number;
  message?: string;
  version?: number;
  points: EpochPoint[];
}

export type StageState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface DeployStage {
  name: string;
  state: StageState;
  detail?: string;
  /** Time the stage entered its current state (ms since the epoch). */
  time: number;
}

export interface DeployActivity {
  run: string;
  model: string;
  board: string;
  port?: string;
  state: RunState;
  started: number;
  finished?: number;
  message?: string;
  stages: DeployStage[];
  log: string[];
}

export interface ActivitySnapshot {
  /** Increases on every change: a client that saw this value has nothing new to draw. */
  seq: number;
  training: TrainingActivity | null;
  deploy: DeployActivity | null;
}

/** Epoch points kept per run: beyond this, every other point is dropped (the curve keeps its shape). */
export const MAX_POINTS = 400;
/** Deploy log lines kept: the most recent ones. */
export const MAX_LOG_LINES = 300;
const MAX_LINE_CHARS = 500;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export class ActivityFeed {
  private seq = 0;
  private training: TrainingActivity | null = null;
  private deploy: DeployActivity | null = null;
  private listeners = new Set<(s: ActivitySnapshot) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  trainingStarted(o: { run: string; model: string; epochs: number; dataset?: string }): void {
    this.training = { run: o.run, model: o.model, dataset: o.dataset, epochs: o.epochs, state: 'running', started: this.now(), points: [] };
    this.changed();
  }

  trainingEpoch(run: string, p: EpochPoint): void {
    const t = this.training;
    if (!t || t.run !== run || !finite(p.epoch) || !finite(p.loss)) return;
    const point: EpochPoint = { epoch: p.epoch, loss: p.loss };
    if (finite(p.accuracy)) point.accuracy = p.accuracy;
    if (finite(p.valLoss)) point.valLoss = p.valLoss;
    if (finite(p.valAccuracy)) point.valAccuracy = p.valAccuracy;
    t.points.push(point);
    if (t.points.length > MAX_POINTS) t.points = t.points.filter((_, i) => i % 2 === 0 || i === t.points.length - 1);
    this.changed();
  }

  trainingFinished(run: string, o: { ok: boolean; message?: string; version?: number }): void {
    const t = this.training;
    if (!t || t.run !== run) return;
    t.state = o.ok ? 'done' : 'failed';
    t.finished = this.now();
    if (o.message !== undefined) t.message = o.message.slice(0, MAX_LINE_CHARS);
    if (o.version !== undefined) t.version = o.version;
    this.changed();
  }

  deployStarted(o: { run: string; model: string; board: string; port?: string; stages?: string[] }): void {
    const time = this.now();
    this.deploy = {
      run: o.run, model: o.model, board: o.board, port: o.port, state: 'running', started: time,
      stages: (o.stages ?? []).map((name) => ({ name, state: 'pending', time })), log: [],
    };
    this.changed();
  }

  deployStage(run: string, s: { name: string; state: StageState; detail?: string }): void {
    const d = this.deploy;
    if (!d || d.run !== run) return;
    const stage: DeployStage = { name: s.name, state: s.state, time: this.now() };
    if (s.detail !== undefined) stage.detail = s.detail.slice(0, MAX_LINE_CHARS);
    const i = d.stages.findIndex((x) => x.name === s.name);
    if (i >= 0) d.stages[i] = stage;
    else d.stages.push(stage);
    this.changed();
  }

  deployLog(run: string, line: string): void {
    const d = this.deploy;
    if (!d || d.run !== run) return;
    for (const l of line.split(/\r?\n/)) {
      if (l !== '') d.log.push(l.slice(0, MAX_LINE_CHARS));
    }
    if (d.log.length > MAX_LOG_LINES) d.log.splice(0, d.log.length - MAX_LOG_LINES);
    this.changed();
  }

  deployFinished(run: string, o: { ok: boolean; message?: string }): void {
    const d = this.deploy;
    if (!d || d.run !== run) return;
    d.state = o.ok ? 'done' : 'failed';
    d.finished = this.now();
    if (o.message !== undefined) d.message = o.message.slice(0, MAX_LINE_CHARS);
    this.changed();
  }

  /** A deep copy: callers may serialize or keep it while the feed moves on. */
  snapshot(): ActivitySnapshot {
    return JSON.parse(JSON.stringify({ seq: this.seq, training: this.training, deploy: this.deploy })) as ActivitySnapshot;
  }

  /** Called after every change; returns the unsubscribe function. */
  subscribe(fn: (s: ActivitySnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.seq++;
    if (this.listeners.size === 0) return;
    const s = this.snapshot();
    for (const fn of this.listeners) {
      // A faulty listener must not break the publisher (a training run or an upload).
      try { fn(s); } catch { /* ignored by design */ }
    }
  }
}

/** The process-wide feed that the nodes publish to and the admin endpoints read. */
export const activity = new ActivityFeed();
