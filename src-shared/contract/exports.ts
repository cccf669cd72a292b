import { z } from 'zod';

/**
 * What an export download says about itself besides its bytes: the name to save it under (the
 * same on every transport: IPC carries no Content-Disposition) and what the reader of the files
 * should know (e.g. no mask because the scan was not what the model reads).
 */
export const exportDescriptionSchema = z.object({
  fileName: z.string().min(1),
  warnings: z.array(z.string()),
});
export type ExportDescription = z.infer<typeof exportDescriptionSchema>;
