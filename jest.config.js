/** Unit tests of the pure core, and engine tests that run the packaged app in the real Apps-Engine runtime. */
module.exports = {
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': 'ts-jest' },
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	globalSetup: '<rootDir>/test/globalSetup.ts',
	testTimeout: 60000,
	maxWorkers: 2,
};
