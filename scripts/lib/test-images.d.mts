export const TEST_IMAGE: string;
export function buildTestImages(socketPath: string): Promise<void>;
