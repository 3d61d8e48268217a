import QRCode from "qrcode";
import { signTicketCode } from "./codes";
import { ticketKeys } from "./signing-key";

/** The code that a ticket's QR carries right now, signed with the app's key. */
export function currentTicketCode(ticket: { id: string; editionId: string; codeVersion: number }): string {
  return signTicketCode(
    { ticketId: ticket.id, editionId: ticket.editionId, codeVersion: ticket.codeVersion },
    ticketKeys().privateKey,
  );
}

/** A QR code as SVG markup: crisp at any size on screen and in print. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
}

/** A QR code as PNG bytes, for email clients that do not show SVG and for the PDF ticket. */
export function qrPng(text: string, width = 360): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "M", margin: 4, width });
}
