/**
 * The sample contract between capture, window and everything downstream.
 *
 * A segment is a run of samples with no gap and no device reset inside it: windowing never
 * joins samples from two segments.
 */
export interface Sample {
  /** One value per axis, in the order of `axes`. */
  values: number[];
  /** Per-board sequence number, +1 per accepted sample, never reused while the node lives. */
  seq: number;
  /** Monotonic time in ms: the device's timestamp when the line carries one, else host time. */
  time: number;
  /** Increments at every gap or reset; samples of one segment are contiguous. */
  segment: number;
  /** Samples were lost just before this one (dropped lines or a stall). */
  gap?: boolean;
  /** The device reset or reconnected just before this one. */
  reset?: boolean;
}

/** Stream metadata that changes rarely (announcement, rate estimate). */
export interface StreamInfo {
  axes: string[];
  units?: string[];
  /** Estimated sample rate in Hz, null until enough samples were seen. */
  rate: number | null;
  /** Rate announced by the device, if it announced one. */
  announcedRate?: number;
  board?: string;
}

/**
 * The capture node's output message.
 * - one sample per message: `payload` is the values (number[]), `time`/`seq` are numbers;
 * - batched: `payload` is number[][] (samples × axes), `time` is number[], `seq` the first seq;
 *   a batch never spans two segments.
 */
export interface CaptureMsg {
  payload: number[] | number[][];
  topic: string;
  axes: string[];
  /** The measured sample rate (Hz), or the rate the device announced until one is measured; null when neither is known. */
  rate: number | null;
  time: number | number[];
  seq: number;
  segment: number;
  gap?: boolean;
  reset?: boolean;
}
