import { z } from 'zod';

export const MessageRole = z.enum(['system', 'user', 'assistant']);
export type MessageRole = z.infer<typeof MessageRole>;

export const TextPart = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
});
export type TextPart = z.infer<typeof TextPart>;

/** One chat message. `content` is a string or a list of text parts (the OpenAI shape). */
export const Message = z
  .strictObject({
    role: MessageRole,
    content: z.union([z.string(), z.array(TextPart).min(1)]),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

/** The text of a message whatever its content shape. */
export function messageText(message: Message): string {
  return typeof message.content === 'string'
    ? message.content
    : message.content.map((part) => part.text).join('');
}
