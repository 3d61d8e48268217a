/** Text made safe for HTML content and attribute values in the hand-written templates. */
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
