/**
 * tinyml-board (config node): one physical or virtual board. Owns the shared serial connection
 * through the engine's serial pool; for board type `replay` it first starts a replay device
 * (a recording played through a pseudo-terminal) and opens that like any port.
 * Other nodes (capture, deploy) use the BoardNode API below.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { BoardId, getBoard, isBoardId, listBoards } from '../src/boards/profiles';
import { readLongCsv } from '../src/io/long-csv';
import { listPorts, validatePortPath } from '../src/serial/port-list';
import { PortHandle, PortStatus, PortSubscriber, sharedSerialPool } from '../src/serial/serial-pool';
import { ReplayDevice } from '../src/virtual/replay-device';
import { EmulatedUno } from '../src/virtual/emulated-uno';
import { buildCaptureFirmware } from '../src/virtual/capture-firmware';
import { buildOptiboot } from '../src/toolchain/optiboot';
import { packExamplesDataDir, resolveReplayFile } from '../src/virtual/replay-file';
import type { BoardListener, BoardNode } from './board-api';
import { packDirs } from './pack-dirs';
import type { Node, NodeAPI, NodeDef } from './red-types';
import { translator } from './translate';

/** Permission guarding the pack's read-only admin endpoints (port and board lists). */
const READ_PERMISSION = 'tinyml.read';

interface BoardDef extends NodeDef {
  path?: string;
  baud?: string | number;
  boardType?: string;
  replayFile?: string;
  replayRate?: string | number;
  replaySpeed?: string | number;
  replayAxes?: string;
  replaySegment?: string;
  replayLabel?: string;
  replayTime?: string;
  replayLoop?: boolean;
}

function num(v: unknown, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

function list(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/** Folders listed by the administrator in settings.js as tinyml.replayDirs. */
function replayDirsSetting(settings: NodeAPI['settings']): string[] {
  const t = settings.tinyml;
  if (typeof t !== 'object' || t === null) return [];
  const dirs = (t as { replayDirs?: unknown }).replayDirs;
  return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === 'string' && path.isAbsolute(d)) : [];
}


/** Where a virtual board's pty link lives: stable across restarts, and a valid port path. */
function replayLinkPath(settings: NodeAPI['settings'], id: string, kind: 'replay' | 'emulated-uno' = 'replay'): string {
  const name = `${kind}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const preferred = path.join(packDirs(settings).root, 'dev', name);
  return validatePortPath(preferred) === null ? preferred : path.join(os.tmpdir(), 'tinyml-dev', name);
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-board');

  function TinymlBoard(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const def = nodeDef as BoardDef;
    const node = this as BoardNode;
    const listeners = new Set<BoardListener>();
    let status: PortStatus = { state: 'connecting' };
    let handle: PortHandle | null = null;
    let device: ReplayDevice | EmulatedUno | null = null;
    let portPath: string | null = null;
    let closed = false;
    const boardType: BoardId = isBoardId(def.boardType) ? def.boardType : 'uno';
    const baudRate = Math.round(num(def.baud, 115200));
    const boardName = def.name && def.name.trim() !== '' ? def.name.trim() : (def.path ?? boardType);

    const each = (fn: (l: BoardListener) => void): void => {
      for (const l of listeners) {
        try { fn(l); } catch (err) { node.error(err instanceof Error ? err : String(err)); }
      }
    };
    const fail = (message: string): void => {
      status = { state: 'error', message };
      node.error(message);
      each((l) => l.onState?.(status));
    };
    const relay: PortSubscriber = {
      onLine: (line, t0) => { for (const l of listeners) l.onLine?.(line, t0); },
      onState: (s) => { status = s; each((l) => l.onState?.(s)); },
      onOpen: () => each((l) => l.onOpen?.()),
      onOverlong: () => each((l) => l.onOverlong?.()),
      onLog: (m) => node.warn(m),
    };
    const open = (p: string): void => {
      portPath = p;
      try {
        handle = sharedSerialPool().acquire(p, { baudRate }, boardName);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
        return;
      }
      handle.subscribe(relay);
    };

    let starting: Promise<void> = Promise.resolve();
    if (getBoard(boardType).id === 'replay') {
      starting = (async () => {
        const file = resolveReplayFile(def.replayFile ?? '', {
          dataDir: packDirs(RED.settings).root, examplesDir: packExamplesDataDir(), extraDirs: replayDirsSetting(RED.settings),
        });
        const text = await fs.promises.readFile(file, 'utf8');
        const segment = list(def.replaySegment);
        const data = readLongCsv(text, {
          axes: list(def.replayAxes),
          segment,
          label: def.replayLabel && def.replayLabel.trim() !== '' ? def.replayLabel.trim() : undefined,
          time: def.replayTime && def.replayTime.trim() !== '' ? def.replayTime.trim() : undefined,
        });
        const rate = num(def.replayRate, 0);
        device = new ReplayDevice({
          data, rate: rate > 0 ? rate : undefined, speed: num(def.replaySpeed, 1), loop: def.replayLoop !== false,
          link: replayLinkPath(RED.settings, def.id), board: 'replay',
        });
        const p = await device.start();
        if (closed) return;
        open(p);
      })().catch((err: unknown) => fail(`${boardName}: ${err instanceof Error ? err.message : String(err)}`));
    } else if (boardType === 'emulated-uno') {
      // An ATmega328P in simavr behind a pty, with optiboot: it resets when the port opens and
      // keeps its flash across resets, so deploy's avrdude programs it like a real Uno. It starts
      // with the capture sketch (100 Hz synthetic sensor).
      starting = (async () => {
        const [bootloader, capture] = await Promise.all([buildOptiboot(), buildCaptureFirmware({ rateHz: 100 })]);
        if (closed) return;
        const link = replayLinkPath(RED.settings, def.id, 'emulated-uno');
        fs.mkdirSync(path.dirname(link), { recursive: true });
        device = new EmulatedUno({ bootloader, firmware: capture.hexPath, link });
        const p = await device.start();
        if (closed) return;
        open(p);
      })().catch((err: unknown) => fail(`${boardName}: ${err instanceof Error ? err.message : String(err)}`));
    } else {
      const bad = validatePortPath(def.path);
      if (bad) fail(`${boardName}: ${bad}`);
      else open(def.path as string);
    }

    Object.defineProperties(node, {
      boardName: { value: boardName },
      boardType: { value: boardType },
      baudRate: { value: baudRate },
      portStatus: { get: () => status },
      portPath: { get: () => portPath },
    });
    node.subscribe = (listener) => {
      listeners.add(listener);
      listener.onState?.(status);
      if (status.state === 'connected') listener.onOpen?.();
      return () => { listeners.delete(listener); };
    };
    node.write = (data) => (handle ? handle.write(data) : Promise.reject(new Error(`${boardName}: ${t('error.notConnected', { state: status.state })}`)));
    node.lend = (reason) => (handle ? handle.lend(reason) : Promise.reject(new Error(`${boardName}: ${t('error.notConnected', { state: status.state })}`)));
    node.feedLine = (line, hostTimeMs) => relay.onLine?.(line, hostTimeMs);

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      listeners.clear();
      // Redeploy: resolve only once the port and the virtual device are really released.
      void (async () => {
        await starting;
        if (handle) await handle.release();
        handle = null;
        if (device) await device.stop();
        device = null;
      })().catch((err: unknown) => node.warn(`closing ${boardName}: ${err instanceof Error ? err.message : String(err)}`)).finally(() => done());
    });
  }

  RED.nodes.registerType('tinyml-board', TinymlBoard);

  RED.httpAdmin.get('/tinyml/ports', RED.auth.needsPermission(READ_PERMISSION), (_req, res) => {
    listPorts().then((ports) => res.json(ports), () => res.json([]));
  });
  RED.httpAdmin.get('/tinyml/boards', RED.auth.needsPermission(READ_PERMISSION), (_req, res) => {
    res.json(listBoards().map((b) => ({ id: b.id, label: b.label, virtual: b.virtual })));
  });
};
