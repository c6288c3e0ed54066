/** Packages the app once before the engine tests install it (only when its sources changed). */
import { ensurePackage } from '../workspace/package';

export default async function globalSetup(): Promise<void> {
	ensurePackage();
}
