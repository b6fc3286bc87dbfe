# kuphost: upgrade of Windows node win1 to v1.31.2, the steps of `kuphost apply`, to run by hand in an elevated PowerShell on the node
# run the drain below on the admin machine first (the downloads before it change nothing), and the wait and uncordon at the end there afterwards
# if a step fails: stop the services, copy the binaries back from C:\k\kuphost-backup-20261127-095752 to C:\k, start the services, and uncordon the node
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# kube-proxy is upgraded here only when it runs as a Windows service
$kubeProxyService = [bool](Get-Service -Name kube-proxy -ErrorAction SilentlyContinue)
# windows-node/stage-binaries: stage every binary and check it before anything changes
New-Item -ItemType Directory -Force -Path 'C:\k\kuphost-staging-20261127-095752' | Out-Null
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe.sha256'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe.sha256 failed' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubeadm.exe failed' }
$expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe.sha256').Trim()
$actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe').Hash
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe does not match C:\k\kuphost-staging-20261127-095752\kubeadm.exe.sha256' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kubelet.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe.sha256 failed' }
curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kubelet.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe'
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kubelet.exe failed' }
$expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubelet.exe.sha256').Trim()
$actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubelet.exe').Hash
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-20261127-095752\kubelet.exe does not match C:\k\kuphost-staging-20261127-095752\kubelet.exe.sha256' }
$expected = ''
$actual = ''
if ($kubeProxyService) { curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe.sha256' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe.sha256' }
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe.sha256 failed' }
if ($kubeProxyService) { curl.exe -fsSL --retry 3 -o 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe' 'https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe' }
if ($LASTEXITCODE -ne 0) { throw 'download of https://dl.k8s.io/v1.31.2/bin/windows/amd64/kube-proxy.exe failed' }
if ($kubeProxyService) { $expected = (Get-Content -Raw -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe.sha256').Trim() }
if ($kubeProxyService) { $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe').Hash }
if ($expected -ne $actual) { throw 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe does not match C:\k\kuphost-staging-20261127-095752\kube-proxy.exe.sha256' }
# windows-node/drain
# on the admin machine: kubectl --kubeconfig /etc/kubernetes/admin.conf drain win1 --ignore-daemonsets --delete-emptydir-data --timeout=300s
# windows-node/upgrade-node: keep the current binaries, then kubeadm upgrade node
New-Item -ItemType Directory -Force -Path 'C:\k\kuphost-backup-20261127-095752' | Out-Null
Copy-Item -Force -LiteralPath 'C:\k\kubeadm.exe' -Destination 'C:\k\kuphost-backup-20261127-095752\kubeadm.exe'
Copy-Item -Force -LiteralPath 'C:\k\kubelet.exe' -Destination 'C:\k\kuphost-backup-20261127-095752\kubelet.exe'
if ($kubeProxyService) { Copy-Item -Force -LiteralPath 'C:\k\kube-proxy.exe' -Destination 'C:\k\kuphost-backup-20261127-095752\kube-proxy.exe' }
if (Test-Path -LiteralPath 'C:\var\lib\kubelet\config.yaml') { Copy-Item -Force -LiteralPath 'C:\var\lib\kubelet\config.yaml' -Destination 'C:\k\kuphost-backup-20261127-095752\config.yaml' }
if (Test-Path -LiteralPath 'C:\var\lib\kubelet\kubeadm-flags.env') { Copy-Item -Force -LiteralPath 'C:\var\lib\kubelet\kubeadm-flags.env' -Destination 'C:\k\kuphost-backup-20261127-095752\kubeadm-flags.env' }
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubeadm.exe' -Destination 'C:\k\kubeadm.exe'
& 'C:\k\kubeadm.exe' upgrade node
if ($LASTEXITCODE -ne 0) { throw 'kubeadm upgrade node failed' }
# windows-node/binaries: a running service's binary cannot be replaced
if ($kubeProxyService) { Stop-Service -Name kube-proxy }
Stop-Service -Name kubelet
Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kubelet.exe' -Destination 'C:\k\kubelet.exe'
if ($kubeProxyService) { Copy-Item -Force -LiteralPath 'C:\k\kuphost-staging-20261127-095752\kube-proxy.exe' -Destination 'C:\k\kube-proxy.exe' }
# windows-node/kubelet-restart
Start-Service -Name kubelet
if ($kubeProxyService) { Start-Service -Name kube-proxy }
# on the admin machine: wait until `kubectl --kubeconfig /etc/kubernetes/admin.conf get node win1 -o 'jsonpath={.status.nodeInfo.kubeletVersion} {range .status.conditions[?(@.type=="Ready")]}{.status}{end}'` prints v1.31.2 True
# kubeadm/uncordon
# on the admin machine: kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon win1
