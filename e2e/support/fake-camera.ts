import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import QRCode from "qrcode";

const WIDTH = 640;
const HEIGHT = 480;

/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture): a few frames of a
 * white 640×480 picture with the QR code of `text` in the middle, in Y4M (YUV 4:2:0).
 */
export async function writeQrVideo(file: string, text: string): Promise<void> {
  const qr = PNG.sync.read(await QRCode.toBuffer(text, { width: 360, margin: 2, errorCorrectionLevel: "M" }));
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
  const left = Math.floor((WIDTH - qr.width) / 2);
  const top = Math.floor((HEIGHT - qr.height) / 2);
  for (let y = 0; y < qr.height; y++) {
    for (let x = 0; x < qr.width; x++) {
      const i = (y * qr.width + x) * 4;
      const value = 0.299 * qr.data[i] + 0.587 * qr.data[i + 1] + 0.114 * qr.data[i + 2];
      luma[(top + y) * WIDTH + left + x] = Math.round(16 + (value / 255) * 219);
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`),
      ...Array.from({ length: 10 }, () => frame),
    ]),
  );
}
