const SAMPLE_RATE = 8_000;
const SECONDS = 1;
const BYTES_PER_SAMPLE = 2;

/** One second of quiet 440 Hz tone: 8 kHz, mono, 16-bit PCM in a RIFF/WAVE container. */
export function sampleRecordingWav(): Buffer {
  const samples = SAMPLE_RATE * SECONDS;
  const dataBytes = samples * BYTES_PER_SAMPLE;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write("RIFF", 0, "ascii");
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write("WAVE", 8, "ascii");
  wav.write("fmt ", 12, "ascii");
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(SAMPLE_RATE, 24);
  wav.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28);
  wav.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  wav.writeUInt16LE(16, 34);
  wav.write("data", 36, "ascii");
  wav.writeUInt32LE(dataBytes, 40);
  for (let index = 0; index < samples; index += 1) {
    const sample = Math.round(1_000 * Math.sin((2 * Math.PI * 440 * index) / SAMPLE_RATE));
    wav.writeInt16LE(sample, 44 + index * BYTES_PER_SAMPLE);
  }
  return wav;
}
