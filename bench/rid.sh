# Sourced by the eval benches: the runtime identifier of this machine (what `dotnet tool install` picks policyc's package for).
rid=$(dotnet --info | awk '/^ *RID:/{print $2; exit}')
