/**
 * Serial port discovery and path validation.
 *
 * On Linux `SerialPort.list()` spawns `udevadm`; where that is missing the child's 'error' event
 * is unhandled and takes the whole process down. So on Linux we list the device nodes ourselves.
 */
import fs from 'fs';
import path from 'path';

export interface PortInfo {
  /** The path to open: the stable /dev/serial/by-id link when there is one. */
  path: string;
  /** The device node the path resolves to (e.g. /dev/ttyACM0). */
  device: string;
  /** Human-readable description (by-id name, manufacturer). */
  label: string;
}

const LINUX_DEVICE = /^(ttyUSB|ttyACM|ttyAMA|rfcomm)\d+$/;

/** Lists the serial ports present now; never throws (an unreadable folder lists nothing). */
export async function listPorts(platform: NodeJS.Platform = process.platform): Promise<PortInfo[]> {
  if (platform === 'linux') return listLinuxPorts('/dev');
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return ports.map((p) => ({
      path: p.path,
      device: p.path,
      label: [p.manufacturer, p.serialNumber].filter((x) => x).join(' ') || p.path,
    }));
  } catch {
    return [];
  }
}

/** Linux: /dev/serial/by-id links first (stable across re-plugging), then the bare device nodes. */
export function listLinuxPorts(devDir: string): PortInfo[] {
  const out: PortInfo[] = [];
  const seen = new Set<string>();
  const byId = path.join(devDir, 'serial', 'by-id');
  for (const name of safeReaddir(byId).sort()) {
    const link = path.join(byId, name);
    let device: string;
    try {
      device = fs.realpathSync(link);
    } catch {
      continue; // dangling link: the device just went away
    }
    seen.add(device);
    out.push({ path: link, device, label: name });
  }
  for (const name of safeReaddir(devDir).filter((n) => LINUX_DEVICE.test(n)).sort(naturalOrder)) {
    const device = path.join(devDir, name);
    if (seen.has(device)) continue;
    out.push({ path: device, device, label: name });
  }
  return out;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Characters seen in real device paths (by-id names use '-', '_', '.', ':', '+'). */
const SAFE_POSIX_PATH = /^\/[A-Za-z0-9._\-/:+@,=]*$/;
const WINDOWS_PORT = /^(\\\\\.\\)?COM[1-9][0-9]{0,2}$/i;

/**
 * Checks that `p` looks like a serial device path: an absolute path with no '..' segment, no
 * shell metacharacters, no segment that looks like a command-line option. Returns an error
 * message naming the problem, or null when the path is acceptable.
 */
export function validatePortPath(p: unknown, platform: NodeJS.Platform = process.platform): string | null {
  if (typeof p !== 'string' || p.length === 0) return 'serial port path is empty: choose a port (e.g. /dev/ttyACM0)';
  if (p.length > 255) return `serial port path is too long (${p.length} characters)`;
  if (platform === 'win32') {
    return WINDOWS_PORT.test(p) ? null : `serial port '${p}' is not a COM port name (e.g. COM3)`;
  }
  if (!p.startsWith('/')) return `serial port '${p}' is not an absolute path (e.g. /dev/ttyACM0)`;
  if (!SAFE_POSIX_PATH.test(p)) return `serial port '${p}' contains characters a device path does not have`;
  const segments = p.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return `serial port '${p}' must not contain '.' or '..' segments`;
  if (segments.some((s) => s.startsWith('-'))) return `serial port '${p}' has a segment starting with '-'`;
  if (p.endsWith('/')) return `serial port '${p}' is a folder, not a device`;
  return null;
}

/** Throws the message of `validatePortPath` when the path is not acceptable. */
export function assertPortPath(p: unknown): string {
  const err = validatePortPath(p);
  if (err) throw new Error(err);
  return p as string;
}
