import type { Request } from 'express';

/** Where links in job objects point: the configured public URL, else this request's origin. */
export function baseUrl(req: Request, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
}
