// One CapScope and one CapPeriod: the model's caps use the runtime's enums, the ones generated code and the enterprise
// algorithm use (an alias, so that files importing PolicyDsl.Syntax, whose syntax has its own, still mean these).
global using CapScope = PolicyDsl.Runtime.CapScope;
global using CapPeriod = PolicyDsl.Runtime.CapPeriod;
