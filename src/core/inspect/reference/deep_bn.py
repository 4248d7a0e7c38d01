"""Reference for src/core/inspect/deep.test.ts (BatchNormalization after every Dense layer of the
40 x Dense(64) preset): weight-gradient RMS per layer in PyTorch, Keras defaults (Glorot uniform,
zero biases, BN eps 1e-3), Adam 1e-3 eps 1e-7, batch 32, MNIST scaled to [0, 1], one epoch.
Run from the repository root: python3 src/core/inspect/reference/deep_bn.py (a few minutes on a CPU)."""
import gzip, numpy as np, torch, torch.nn as nn
torch.manual_seed(1); np.random.seed(1)
def idx(p):
    d=gzip.open(p).read(); n=int.from_bytes(d[4:8],'big')
    return np.frombuffer(d,np.uint8,offset=16 if d[3]==3 else 8)
X=idx('public/datasets/mnist/train-images-idx3-ubyte.gz').reshape(-1,784).astype(np.float32)/255.
Y=idx('public/datasets/mnist/train-labels-idx1-ubyte.gz').astype(np.int64)
def glorot(l):
    nn.init.xavier_uniform_(l.weight); nn.init.zeros_(l.bias)
def make(bn):
    layers=[]; dims=[784]+[64]*40
    dens=[]
    for i in range(40):
        l=nn.Linear(dims[i],64); glorot(l); dens.append(l); layers+=[l,nn.ReLU()]
        if bn: layers.append(nn.BatchNorm1d(64,eps=1e-3,momentum=0.01))
    o=nn.Linear(64,10); glorot(o); dens.append(o); layers.append(o)
    return nn.Sequential(*layers), dens
for bn in [True]:
    m,dens=make(bn); opt=torch.optim.Adam(m.parameters(),lr=1e-3,eps=1e-7)
    perm=np.random.permutation(60000); acc=[]
    sums=np.zeros(41); cnt=0
    for step in range(1875):
        b=perm[step*32:(step+1)*32]
        x=torch.from_numpy(X[b]); y=torch.from_numpy(Y[b])
        opt.zero_grad(); out=m(x); loss=nn.functional.cross_entropy(out,y); loss.backward()
        g=np.array([d.weight.grad.pow(2).mean().sqrt().item() for d in dens]); sums+=g; cnt+=1
        if step in (0,10,100,1874): print('step',step,'layers 1,20,40,out', ' '.join('%.1e'%g[k] for k in (0,19,39,40)), 'loss %.3f'%loss.item())
        opt.step()
    mean=sums/cnt
    print('BN epoch-1 mean weight-grad RMS layers 1,20,40,out', ' '.join('%.1e'%mean[k] for k in (0,19,39,40)), 'min %.1e max %.1e'%(mean.min(),mean.max()))
