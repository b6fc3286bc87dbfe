# kuphost plan -o powershell: Windows node win1 (Windows Server 2022 Datacenter, amd64), target v1.31.2
# Phases marked (not a node step) run elsewhere (kuphost's checks, kubectl on the admin machine):
# their steps are comments at their place in the order.

# [1] kubeadm/preflight: Preflight checks (not a node step)
#   [OK IsPrivilegedUser]: running as root
#   [OK APIServerReachable]: the API server answers (v1.31.2)
#   [OK NodesReady]: all 2 nodes are Ready
#   the kubelet version of a Windows worker is not probed here; windows-node checks it

# [2] windows-node/stage-binaries: Stage the Windows binaries
# kuphost: upgrade of Windows node win1 to v1.31.2, the steps of `kuphost apply`, to run by hand in an elevated PowerShell on the node
# run the drain below on the admin machine first (the downloads before it change nothing), and the wait and uncordon at the end there afterwards
# if a step fails: stop the services, copy the binaries back from C:\k\kuphost-backup-<timestamp> to C:\k, start the services, and uncordon the node
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# kube-proxy is upgraded here only when it runs as a Windows service
$kubeProxyService = [bool](Get-Service -Name kube-proxy -ErrorAction SilentlyContinue)
# windows-node/stage-binaries: stage every binary and check it before anything changes
New-Item -ItemType Directory -Force -Path 'C:\k\kuphost-staging-<timestamp>' | Out-Null
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe.sha256'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe.sha256 failed' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe failed' }
$expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe.sha256').Trim()
$actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe').Hash
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe does not match C:\k\kuphost-staging-<timestamp>\kubeadm.exe.sha256' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kubelet.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256 failed' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kubelet.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe failed' }
$expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubelet.exe.sha256').Trim()
$actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubelet.exe').Hash
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-<timestamp>\kubelet.exe does not match C:\k\kuphost-staging-<timestamp>\kubelet.exe.sha256' }
$expected = ''
$actual = ''
if ($kubeProxyService) { curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe.sha256' }
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe.sha256 failed' }
if ($kubeProxyService) { curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe' }
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe failed' }
if ($kubeProxyService) { $expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe.sha256').Trim() }
if ($kubeProxyService) { $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe').Hash }
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe does not match C:\k\kuphost-staging-<timestamp>\kube-proxy.exe.sha256' }

# [3] windows-node/drain: Drain the Windows node
# windows-node/drain
# on the admin machine: kubectl --kubeconfig /etc/kubernetes/admin.conf drain win1 --ignore-daemonsets --delete-emptydir-data --timeout=300s

# [4] windows-node/upgrade-node: kubeadm upgrade node on Windows
# windows-node/upgrade-node: keep the current binaries, then kubeadm upgrade node
New-Item -ItemType Directory -Force -Path 'C:\k\kuphost-backup-<timestamp>' | Out-Null
Copy-Item -Force -LiteralPath 'C:\k\kubeadm.exe' -Destination 'C:\k\kuphost-backup-<timestamp>\kubeadm.exe'
Copy-Item -Force -LiteralPath 'C:\k\kubelet.exe' -Destination 'C:\k\kuphost-backup-<timestamp>\kubelet.exe'
if ($kubeProxyService) { Copy-Item -Force -LiteralPath 'C:\k\kube-proxy.exe' -Destination 'C:\k\kuphost-backup-<timestamp>\kube-proxy.exe' }
if (Test-Path -LiteralPath 'C:\var\lib\kubelet\config.yaml') { Copy-Item -Force -LiteralPath 'C:\var\lib\kubelet\config.yaml' -Destination 'C:\k\kuphost-backup-<timestamp>\config.yaml' }
if (Test-Path -LiteralPath 'C:\var\lib\kubelet\kubeadm-flags.env') { Copy-Item -Force -LiteralPath 'C:\var\lib\kubelet\kubeadm-flags.env' -Destination 'C:\k\kuphost-backup-<timestamp>\kubeadm-flags.env' }
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubeadm.exe' -Destination 'C:\k\kubeadm.exe'
& 'C:\k\kubeadm.exe' upgrade node
if ($LASTEXITCODE -ne 0) { throw 'kubeadm upgrade node failed' }

# [5] windows-node/binaries: Replace kubelet.exe and kube-proxy.exe
# windows-node/binaries: a running service's binary cannot be replaced
if ($kubeProxyService) { Stop-Service -Name kube-proxy }
Stop-Service -Name kubelet
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kubelet.exe' -Destination 'C:\k\kubelet.exe'
if ($kubeProxyService) { Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-<timestamp>\kube-proxy.exe' -Destination 'C:\k\kube-proxy.exe' }

# [6] windows-node/kubelet-restart: Start the Windows services
# windows-node/kubelet-restart
Start-Service -Name kubelet
if ($kubeProxyService) { Start-Service -Name kube-proxy }
# on the admin machine: wait until `kubectl --kubeconfig /etc/kubernetes/admin.conf get node win1 -o 'jsonpath={.status.nodeInfo.kubeletVersion} {range .status.conditions[?(@.type=="Ready")]}{.status}{end}'` prints v1.31.2 True

# [7] kubeadm/uncordon: Uncordon the node (not a node step)
#   kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon win1

# [8] kubeadm/verify: Verify the node (not a node step)
#   kubectl --kubeconfig /etc/kubernetes/admin.conf get node win1 -o 'jsonpath={.status.nodeInfo.kubeletVersion} {range .status.conditions[?(@.type=="Ready")]}{.status}{end}'
#   wait up to 300s for win1 to be Ready with kubelet v1.31.2
