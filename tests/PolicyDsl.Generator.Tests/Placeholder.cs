namespace PolicyDsl.Generator.Tests; internal static class Placeholder { }
