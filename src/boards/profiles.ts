/**
 * Board profiles: what each supported board is, and what it can hold.
 * Memory sizes are from the vendors' datasheets (cited per board); cycle costs per operation
 * class are filled in by the cost model (AVR figures measured on the emulated ATmega328P).
 */
export type BoardId = 'uno' | 'nano' | 'nano33ble' | 'esp32' | 'rp2040' | 'replay' | 'emulated-uno';

export interface BoardProfile {
  id: BoardId;
  label: string;
  mcu: string;
  /** Core clock in Hz. */
  clockHz: number;
  sramBytes: number;
  flashBytes: number;
  fpu: boolean;
  wordBits: 8 | 32;
  /** Fully qualified board name for arduino-cli; empty for boards no toolchain builds for. */
  fqbn: string;
  /** Boards that auto-reset when the serial port opens (DTR wired to RESET). */
  resetsOnOpen: boolean;
  /** Virtual boards run with no hardware. */
  virtual: boolean;
  source: string;
}

const PROFILES: readonly BoardProfile[] = [
  {
    id: 'uno', label: 'Arduino Uno', mcu: 'ATmega328P', clockHz: 16_000_000, sramBytes: 2048,
    flashBytes: 32_768, fpu: false, wordBits: 8, fqbn: 'arduino:avr:uno', resetsOnOpen: true,
    virtual: false, source: 'Microchip ATmega328P datasheet DS40002061B, table 1 (32 KB flash, 2 KB SRAM)',
  },
  {
    id: 'nano', label: 'Arduino Nano', mcu: 'ATmega328P', clockHz: 16_000_000, sramBytes: 2048,
    flashBytes: 32_768, fpu: false, wordBits: 8, fqbn: 'arduino:avr:nano:cpu=atmega328', resetsOnOpen: true,
    virtual: false, source: 'Microchip ATmega328P datasheet DS40002061B, table 1',
  },
  {
    id: 'nano33ble', label: 'Arduino Nano 33 BLE Sense', mcu: 'nRF52840 (Cortex-M4F)', clockHz: 64_000_000,
    sramBytes: 262_144, flashBytes: 1_048_576, fpu: true, wordBits: 32, fqbn: 'arduino:mbed_nano:nano33ble',
    resetsOnOpen: false, virtual: false, source: 'Nordic nRF52840 product specification v1.7, section 1',
  },
  {
    id: 'esp32', label: 'ESP32 Dev Module', mcu: 'ESP32 (Xtensa LX6)', clockHz: 240_000_000,
    sramBytes: 327_680, flashBytes: 4_194_304, fpu: true, wordBits: 32, fqbn: 'esp32:esp32:esp32',
    resetsOnOpen: true, virtual: false, source: 'Espressif ESP32 datasheet v4.x, section 3.1 (~320 KB DRAM usable)',
  },
  {
    id: 'rp2040', label: 'Raspberry Pi Pico / Nano RP2040', mcu: 'RP2040 (Cortex-M0+)', clockHz: 133_000_000,
    sramBytes: 270_336, flashBytes: 2_097_152, fpu: false, wordBits: 32, fqbn: 'arduino:mbed_rp2040:pico',
    resetsOnOpen: false, virtual: false, source: 'Raspberry Pi RP2040 datasheet, section 1 (264 KB SRAM; 2 MB flash on Pico)',
  },
  {
    id: 'replay', label: 'Virtual: replay a recording', mcu: 'none', clockHz: 0, sramBytes: 0,
    flashBytes: 0, fpu: false, wordBits: 32, fqbn: '', resetsOnOpen: false, virtual: true,
    source: 'plays a long-format CSV through a pseudo-terminal',
  },
  {
    id: 'emulated-uno', label: 'Virtual: emulated Uno (simavr)', mcu: 'ATmega328P', clockHz: 16_000_000,
    sramBytes: 2048, flashBytes: 32_768, fpu: false, wordBits: 8, fqbn: 'arduino:avr:uno', resetsOnOpen: true,
    virtual: true, source: 'simavr ATmega328P model behind a pseudo-terminal',
  },
];

export function listBoards(): readonly BoardProfile[] {
  return PROFILES;
}

export function isBoardId(value: unknown): value is BoardId {
  return typeof value === 'string' && PROFILES.some((p) => p.id === value);
}

/** The profile for `id`, or an error naming the known boards. */
export function getBoard(id: string): BoardProfile {
  const profile = PROFILES.find((p) => p.id === id);
  if (!profile) {
    throw new Error(`unknown board '${id}': known boards are ${PROFILES.map((p) => p.id).join(', ')}`);
  }
  return profile;
}
