// The agent tools, bundled on their own into dist/agent.js and loaded on an agent's first call
// (src/agents/languageModelTools.ts): most windows never see one, and the main bundle has a size budget.
export { AgentTools } from '../agentTools';
