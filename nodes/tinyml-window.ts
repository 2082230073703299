/**
 * tinyml-window: cuts the capture node's samples into windows (sliding or triggered) with the
 * engine's Windower; labels pass through, and a message without samples can set the label.
 */
import { Windower, samplesOfMessage, type PartialPolicy, type SizeUnit, type WindowerOptions } from '../src/stream/windower';
import type { TriggerMagnitude } from '../src/stream/trigger';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './red-types';
import { translator } from './translate';

interface WindowDef extends NodeDef {
  mode?: string;
  length?: string | number;
  lengthUnit?: string;
  stride?: string | number;
  strideUnit?: string;
  partial?: string;
  magnitude?: string;
  threshold?: string | number;
  triggerAxes?: string;
  preTrigger?: string | number;
  labelFromTopic?: boolean;
  defaultLabel?: string;
}

const unit = (v: unknown): SizeUnit => (v === 'samples' ? 'samples' : 'ms');

/** Node config -> engine options (the engine validates and names what is wrong). */
function windowerOptionsOf(def: WindowDef): WindowerOptions {
  const o: WindowerOptions = {
    length: Number(def.length ?? 1000),
    lengthUnit: unit(def.lengthUnit),
    stride: Number(def.stride ?? 500),
    strideUnit: unit(def.strideUnit),
    partial: (def.partial ?? 'drop') as PartialPolicy,
  };
  if (def.mode === 'trigger') {
    o.trigger = {
      magnitude: (def.magnitude ?? 'sumAbs') as TriggerMagnitude,
      threshold: Number(def.threshold ?? 2.5),
      axes: (def.triggerAxes ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      preTrigger: Number(def.preTrigger ?? 0.25),
    };
  }
  return o;
}

export = function register(RED: NodeAPI): void {
  const t = translator(RED, 'tinyml-window');

  function TinymlWindow(this: Node, nodeDef: NodeDef): void {
    RED.nodes.createNode(this, nodeDef);
    const def = nodeDef as WindowDef;
    const node = this as Node;
    let windower: Windower;
    try {
      windower = new Windower(windowerOptionsOf(def));
    } catch (e) {
      node.status({ fill: 'red', shape: 'ring', text: t('status.badConfig') });
      node.error(t('error.config', { message: (e as Error).message }));
      return;
    }
    const fixedLabel = typeof def.defaultLabel === 'string' && def.defaultLabel.trim() !== '' ? def.defaultLabel.trim() : undefined;
    let label: string | undefined = fixedLabel;
    let lastStatus = '';

    const refresh = (): void => {
      const c = windower.counters;
      let text: string;
      if (c.windows === 0 && c.waitingForRate > 0) text = t('status.waitingRate');
      else {
        text = t('status.windows', { count: c.windows });
        if (c.partialDropped + c.partialPadded > 0) text += t('status.partial', { dropped: c.partialDropped, padded: c.partialPadded });
      }
      if (label !== undefined) text += ` · ${label}`;
      if (text === lastStatus) return;
      lastStatus = text;
      node.status({ fill: c.windows > 0 ? 'green' : 'grey', shape: 'dot', text });
    };

    node.on('input', (msg: NodeMessage, send, done) => {
      try {
        // Label: msg.label wins; msg.topic only when configured (capture messages carry the board name as topic).
        if (typeof msg.label === 'string' && msg.label !== '') label = msg.label;
        else if (msg.label === null || msg.label === '') label = fixedLabel;
        else if (def.labelFromTopic === true && typeof msg.topic === 'string' && msg.topic !== '') label = msg.topic;

        const out: NodeMessage[] = [];
        if (msg.command === 'flush' || msg.command === 'reset') {
          const ws = msg.command === 'flush' ? windower.endSegment() : [];
          windower.clear();
          out.push(...ws.map((w) => toMsg(w, msg)));
        } else {
          const samples = samplesOfMessage(msg, Date.now());
          if (samples !== null) {
            const axes = Array.isArray(msg.axes) ? msg.axes.map(String) : [];
            const rate = typeof msg.rate === 'number' && msg.rate > 0 ? msg.rate : null;
            for (const s of samples) for (const w of windower.push(s, { axes, rate }, label)) out.push(toMsg(w, msg));
          }
        }
        if (out.length > 0) send(out.length === 1 ? out[0] : [out]);
        refresh();
        done();
      } catch (e) {
        node.status({ fill: 'red', shape: 'ring', text: (e as Error).message.slice(0, 60) });
        done(e as Error);
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      windower.clear();
      done();
    });
    refresh();
  }

  function toMsg(w: ReturnType<Windower['push']>[number], input: NodeMessage): NodeMessage {
    const msg: NodeMessage = { payload: w.data, axes: w.axes, rate: w.rate, time: w.time, segment: w.segment, window: w.index };
    if (w.label !== undefined) msg.label = w.label;
    msg.topic = w.label ?? input.topic;
    if (w.padded > 0) msg.padded = w.padded;
    if (w.trigger) msg.trigger = w.trigger;
    return msg;
  }

  RED.nodes.registerType('tinyml-window', TinymlWindow);
};
